using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Fleet.Controller.Rollouts;
using Fleet.Core.Trust;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Releases;

/// <summary>
/// Stores verified releases and creates their rollouts, one active rollout per app and
/// environment (an advisory lock per app+environment orders concurrent submits).
/// </summary>
internal sealed partial class ReleaseStore(
    NpgsqlDataSource dataSource, AssignmentSender assignments, RolloutChanges changes, AuditLog audit, TimeProvider time)
{
    private const string Select =
        "select r.id, r.app, r.environment, r.sequence, r.created_at, r.expires_at, r.signers, r.threshold, r.envelope, " +
        "coalesce(o.id, ''), coalesce(o.state, '') from releases r " +
        "left join lateral (select o.id, o.state from rollouts o where o.release_id = r.id order by o.created_at desc limit 1) o on true";

    public async Task<(Release Release, string RolloutId)> SubmitAsync(VerifiedRelease release, bool supersede, bool rollback, string tokenId, CancellationToken cancellationToken)
    {
        var manifest = release.Manifest;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, manifest.App, manifest.Environment, cancellationToken);
        await RequireFreeSequenceAsync(connection, transaction, manifest, cancellationToken);

        var now = time.GetUtcNow();
        await SupersedeActiveAsync(connection, transaction, manifest.App, manifest.Environment, supersede, now, cancellationToken);
        var id = NewId();
        var envelope = release.Envelope.ToJson();
        await using (var insert = new NpgsqlCommand(
            "insert into releases (id, app, environment, sequence, created_at, expires_at, envelope, signers, threshold, submitted_at, submitted_by) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", connection, transaction))
        {
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(manifest.App);
            insert.Parameters.AddWithValue(manifest.Environment);
            insert.Parameters.AddWithValue(manifest.Sequence);
            insert.Parameters.AddWithValue(manifest.CreatedAt);
            insert.Parameters.AddWithValue(manifest.ExpiresAt);
            insert.Parameters.AddWithValue(envelope);
            insert.Parameters.AddWithValue(release.Signers.Order(StringComparer.Ordinal).ToArray());
            insert.Parameters.AddWithValue(release.Rule.Threshold);
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(tokenId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var rolloutId = "ro-" + id[2..];
        await using (var rollout = new NpgsqlCommand(
            "insert into rollouts (id, release_id, app, environment, sequence, state, strategy, created_at, auto_promote, min_healthy_seconds, progress_deadline_seconds, once_hooks) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            connection, transaction))
        {
            rollout.Parameters.AddWithValue(rolloutId);
            rollout.Parameters.AddWithValue(id);
            rollout.Parameters.AddWithValue(manifest.App);
            rollout.Parameters.AddWithValue(manifest.Environment);
            rollout.Parameters.AddWithValue(manifest.Sequence);
            rollout.Parameters.AddWithValue(RolloutNames.Name(RolloutState.AwaitingApproval));
            rollout.Parameters.AddWithValue(StrategyName(manifest));
            rollout.Parameters.AddWithValue(now);
            rollout.Parameters.AddWithValue(manifest.Release.Strategy.AutoPromote);
            rollout.Parameters.AddWithValue(RolloutPlanner.MinHealthySeconds(manifest.Release));
            rollout.Parameters.AddWithValue(RolloutPlanner.ProgressDeadlineSeconds(manifest.Release));
            rollout.Parameters.AddWithValue(RolloutPlanner.HasOnceHooks(manifest.Release));
            await rollout.ExecuteNonQueryAsync(cancellationToken);
        }

        var started = release.ThresholdMet ? await RolloutTargets.StartAsync(connection, transaction, rolloutId, manifest, envelope, now, cancellationToken) : null;

        await audit.AppendAsync(connection, transaction, rollback ? "release.rollback" : "release.submit", tokenId, $"{manifest.App}/{manifest.Environment}#{manifest.Sequence}",
            $"release {id}, rollout {rolloutId}, signers {release.Signers.Count}/{release.Rule.Threshold}{(supersede ? ", supersede" : "")}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed(started);
        return ((await FindAsync(id, cancellationToken))!, rolloutId);
    }

    public async Task<Release?> FindAsync(string releaseId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"{Select} where r.id = $1", [releaseId], cancellationToken);
        return found.SingleOrDefault();
    }

    public Task<List<Release>> ListAsync(string app, string environment, CancellationToken cancellationToken) =>
        QueryAsync($"{Select} where ($1 = '' or r.app = $1) and ($2 = '' or r.environment = $2) order by r.submitted_at desc limit 200",
            [app, environment], cancellationToken);

    private async Task<List<Release>> QueryAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var releases = new List<Release>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var release = new Release
            {
                ReleaseId = reader.GetString(0),
                App = reader.GetString(1),
                Environment = reader.GetString(2),
                Sequence = reader.GetInt64(3),
                CreatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4)),
                ExpiresAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(5)),
                Threshold = reader.GetInt32(7),
                Envelope = ByteString.CopyFrom(reader.GetFieldValue<byte[]>(8)),
                RolloutId = reader.GetString(9),
                RolloutState = reader.GetString(10) is { Length: > 0 } state ? RolloutNames.Rollout(state) : RolloutState.Unspecified,
            };
            release.Signers.AddRange(reader.GetFieldValue<string[]>(6));
            release.ThresholdMet = release.Signers.Count >= release.Threshold;
            releases.Add(release);
        }

        return releases;
    }

    /// <summary>
    /// After a submit or approval committed: sends a started rollout's first wave its assignments
    /// and wakes watchers and the other replicas. This driver is woken only for a rollout without
    /// targets (it ends it); otherwise it has nothing to do before the first reports, and a step
    /// would re-read every target while the first wave is being sent.
    /// </summary>
    private void Committed(StartedRollout? started)
    {
        if (started is null)
        {
            changes.NotifyProgress();
            return;
        }

        assignments.Send(started.RolloutId, active: true, started.FirstWave, started.Work);
        if (started.FirstWave.Count == 0)
        {
            changes.Notify();
        }
        else
        {
            changes.NotifyStarted(started.ProgressDeadline);
        }
    }

    private static async Task SupersedeActiveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string app, string environment, bool supersede, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var active = new NpgsqlCommand(
            "select id, state from rollouts where app = $1 and environment = $2 and state in ('awaiting_approval', 'running', 'paused', 'awaiting_promotion') for update",
            connection, transaction);
        active.Parameters.AddWithValue(app);
        active.Parameters.AddWithValue(environment);
        string? activeId = null;
        string? state = null;
        await using (var reader = await active.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                activeId = reader.GetString(0);
                state = reader.GetString(1);
            }
        }

        if (activeId is null)
        {
            return;
        }

        // A rollout still waiting for its approval changed nothing yet: a newer release replaces it.
        if (!supersede && state != RolloutNames.Name(RolloutState.AwaitingApproval))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"rollout {activeId} of {app}/{environment} is still {state!.Replace('_', ' ')}; wait for it, abort it (fleetctl rollout abort {activeId}) or deploy with --supersede"));
        }

        await RolloutTargets.EndAsync(connection, transaction, activeId, RolloutState.Superseded, "superseded by a newer release", now, cancellationToken);
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string app, string environment, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction);
        command.Parameters.AddWithValue($"release:{app}/{environment}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string StrategyName(Core.Releases.ReleaseManifest manifest) =>
        manifest.Release.Strategy.Type switch
        {
            Core.Releases.RolloutStrategyType.Rolling => "rolling",
            Core.Releases.RolloutStrategyType.Canary => "canary",
            _ => "all",
        };

    private static string NewId() => "r-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
}
