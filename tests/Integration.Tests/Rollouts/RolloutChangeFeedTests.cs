using Fleet.Controller.Rollouts;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>Two controller replicas' change feeds on one real PostgreSQL database.</summary>
public sealed class RolloutChangeFeedTests
{
    private static readonly TimeSpan Heard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Notify_OnOneReplica_WakesTheOtherNotItselfAndIsNotSentOn()
    {
        await using var database = await PostgresDatabase.CreateAsync("feed", TestContext.Current.CancellationToken);
        await using var one = await Replica.StartAsync(database, "replica-one");
        await using var two = await Replica.StartAsync(database, "replica-two");
        var (twoWoken, twoSends) = (two.Changes.NextDecision, two.Changes.NextBroadcast);

        one.Changes.Notify();
        var oneWokenAgain = one.Changes.NextDecision;

        await twoWoken.WaitAsync(Heard, TestContext.Current.CancellationToken);
        // The notification reaches both listeners together; give the sender's own a moment more.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.False(oneWokenAgain.IsCompleted, "a replica was woken by its own notification");
        Assert.False(twoSends.IsCompleted, "a replica sent on what it heard from another");
    }

    [Fact]
    public async Task ListeningConnectionKilled_ListensAgainAndWakesItsDriver()
    {
        await using var database = await PostgresDatabase.CreateAsync("feed", TestContext.Current.CancellationToken);
        await using var one = await Replica.StartAsync(database, "replica-one");
        await using var two = await Replica.StartAsync(database, "replica-two");
        var catchUp = one.Changes.NextDecision;

        await using (var admin = NpgsqlDataSource.Create(database.ConnectionString))
        await using (var kill = admin.CreateCommand(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'replica-one' and query like 'listen%'"))
        {
            Assert.Equal(1L, await kill.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        // What was notified while it was not listening is made up for by a step.
        await catchUp.WaitAsync(Heard, TestContext.Current.CancellationToken);
        var woken = one.Changes.NextDecision;
        two.Changes.Notify();
        await woken.WaitAsync(Heard, TestContext.Current.CancellationToken);
    }

    private sealed class Replica : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly RolloutChangeFeed _feed;

        private Replica(NpgsqlDataSource dataSource)
        {
            _dataSource = dataSource;
            _feed = new RolloutChangeFeed(dataSource, Changes, TimeProvider.System, NullLogger<RolloutChangeFeed>.Instance);
        }

        public RolloutChanges Changes { get; } = new(TimeProvider.System);

        /// <summary>Returns once the replica listens (it wakes its own driver then).</summary>
        public static async Task<Replica> StartAsync(PostgresDatabase database, string name)
        {
            var replica = new Replica(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = name }.ConnectionString));
            var listening = replica.Changes.NextDecision;
            await replica._feed.StartAsync(TestContext.Current.CancellationToken);
            await listening.WaitAsync(Heard, TestContext.Current.CancellationToken);
            return replica;
        }

        public async ValueTask DisposeAsync()
        {
            await _feed.StopAsync(CancellationToken.None);
            _feed.Dispose();
            await _dataSource.DisposeAsync();
        }
    }
}
