using Fleet.Agent.Hosting;

return await new AgentCommandLine().InvokeAsync(args, CancellationToken.None);
