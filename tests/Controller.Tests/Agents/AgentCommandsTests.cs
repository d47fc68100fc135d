using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Fleet.Controller.Tests.Agents;

public sealed class AgentCommandsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    // Never opened: these tests reach only connected agents.
    private readonly NpgsqlDataSource _unusedDatabase = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
    private readonly FakeTimeProvider _time = new();
    private readonly AgentConnection _connection = new(Guid.NewGuid(), "web-1", DateTimeOffset.UnixEpoch);
    private readonly AgentCommands _commands;

    public AgentCommandsTests()
    {
        var registry = new AgentRegistry();
        registry.Register(_connection);
        _commands = new AgentCommands(registry, new AgentStore(_unusedDatabase, _time), _time, NullLogger<AgentCommands>.Instance);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _unusedDatabase.Dispose();
    }

    [Fact]
    public async Task RunAsync_AgentAnswers_ReturnsItsResult()
    {
        var run = _commands.RunAsync("web-1", Backup(), Timeout, TestContext.Current.CancellationToken);
        var sent = await SentCommandAsync();
        _commands.Complete(_connection, new CommandResult { CommandId = sent.CommandId, Ok = true, Detail = "backed up" });

        var result = await run;

        Assert.False(string.IsNullOrEmpty(sent.CommandId));
        Assert.Equal("shop", sent.RunBackup.App);
        Assert.Equal(("backed up", true), (result.Detail, result.Ok));
    }

    [Fact]
    public async Task RunAsync_AnswerFromAnotherConnection_Ignored()
    {
        using var other = new AgentConnection(Guid.NewGuid(), "web-2", DateTimeOffset.UnixEpoch);
        var run = _commands.RunAsync("web-1", Backup(), Timeout, TestContext.Current.CancellationToken);
        var sent = await SentCommandAsync();

        _commands.Complete(other, new CommandResult { CommandId = sent.CommandId, Ok = true });

        Assert.False(run.IsCompleted);
        _commands.Abandon(_connection);
        await Assert.ThrowsAsync<RpcException>(() => run);
    }

    [Fact]
    public async Task RunAsync_StreamEndsBeforeAnswer_UnavailableAtOnce()
    {
        var run = _commands.RunAsync("web-1", Backup(), Timeout, TestContext.Current.CancellationToken);
        await SentCommandAsync();

        _commands.Abandon(_connection);

        var error = await Assert.ThrowsAsync<RpcException>(() => run);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("disconnected before answering", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoAnswerInTime_DeadlineExceeded()
    {
        var run = _commands.RunAsync("web-1", Backup(), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await SentCommandAsync();

        _time.Advance(TimeSpan.FromSeconds(31));

        var error = await Assert.ThrowsAsync<RpcException>(() => run);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("web-1", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StreamAlreadyCompleted_UnavailableWithoutWaiting()
    {
        _connection.CompleteOutbound();

        var error = await Assert.ThrowsAsync<RpcException>(() => _commands.RunAsync("web-1", Backup(), Timeout, TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private static AgentCommand Backup() => new() { RunBackup = new RunBackupCommand { App = "shop", Name = "db" } };

    private async Task<AgentCommand> SentCommandAsync()
    {
        var message = await _connection.Outbound.ReadAsync(TestContext.Current.CancellationToken);
        return message.Command;
    }
}
