using Fleet.Agent.Connection;
using Fleet.Contracts.V1;
using Microsoft.Extensions.Logging.Testing;

namespace Fleet.Agent.Tests.Connection;

public sealed class AgentCommandDispatcherTests
{
    private readonly FakeLogger<AgentCommandDispatcher> _logger = new();

    [Fact]
    public async Task RunAsync_HandlerSucceeds_ResultCarriesTheCommandId()
    {
        var dispatcher = new AgentCommandDispatcher([new Handler(_ => new CommandResult { Ok = true, Detail = "renewed" })], _logger);

        var result = await dispatcher.RunAsync(Renew("c-7"), TestContext.Current.CancellationToken);

        Assert.Equal(("c-7", true, "renewed"), (result.CommandId, result.Ok, result.Detail));
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_FailedWithTheMessage()
    {
        var dispatcher = new AgentCommandDispatcher([new Handler(_ => throw new InvalidOperationException("no certificate is named 'api'"))], _logger);

        var result = await dispatcher.RunAsync(Renew("c-8"), TestContext.Current.CancellationToken);

        Assert.Equal(("c-8", false, "no certificate is named 'api'"), (result.CommandId, result.Ok, result.Error));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task RunAsync_NoHandlerForTheKind_FailedNamingTheKind()
    {
        var dispatcher = new AgentCommandDispatcher([new Handler(_ => new CommandResult { Ok = true })], _logger);
        var command = new AgentCommand { CommandId = "c-9", RunBackup = new RunBackupCommand { App = "shop", Name = "db" } };

        var result = await dispatcher.RunAsync(command, TestContext.Current.CancellationToken);

        Assert.False(result.Ok);
        Assert.Equal("c-9", result.CommandId);
        Assert.Contains("RunBackup", result.Error, StringComparison.Ordinal);
    }

    private static AgentCommand Renew(string id) => new() { CommandId = id, RenewCertificate = new RenewCertificateCommand { Name = "api" } };

    private sealed class Handler(Func<AgentCommand, CommandResult> handle) : IAgentCommandHandler
    {
        public AgentCommand.KindOneofCase Kind => AgentCommand.KindOneofCase.RenewCertificate;

        public Task<CommandResult> HandleAsync(AgentCommand command, CancellationToken cancellationToken) => Task.FromResult(handle(command));
    }
}
