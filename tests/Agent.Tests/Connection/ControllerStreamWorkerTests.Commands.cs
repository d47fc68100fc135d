using Fleet.Agent.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Connection;

public sealed partial class ControllerStreamWorkerTests
{
    [Fact]
    public async Task ConnectOnceAsync_CommandReceived_AnsweredOnTheStreamWithItsId()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        var hello = await stream.NextSentAsync();
        stream.Settings(5);
        await stream.NextSentAsync(); // first heartbeat
        stream.Reply(new ControllerMessage { Command = new AgentCommand { CommandId = "c-1", RunBackup = new RunBackupCommand { App = "shop", Name = "db" } } });
        var answer = await stream.NextSentAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Contains(ControllerStreamWorker.CommandsCapability, hello.Hello.Capabilities);
        Assert.Equal(AgentMessage.KindOneofCase.CommandResult, answer.KindCase);
        Assert.Equal("c-1", answer.CommandResult.CommandId);
        Assert.True(answer.CommandResult.Ok);
        Assert.Equal("shop/db", answer.CommandResult.Detail);
    }

    /// <summary>Answers a backup command with its app and name, so a test sees the command reached it.</summary>
    private sealed class EchoBackupCommand : IAgentCommandHandler
    {
        public AgentCommand.KindOneofCase Kind => AgentCommand.KindOneofCase.RunBackup;

        public Task<CommandResult> HandleAsync(AgentCommand command, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandResult { Ok = true, Detail = $"{command.RunBackup.App}/{command.RunBackup.Name}" });
    }
}
