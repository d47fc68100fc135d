using System.Text.Json;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Rollouts;

/// <summary>A rollout just started: its first wave, already applying, what its assignments carry, and how long a host may stay silent.</summary>
internal sealed record StartedRollout(string RolloutId, IReadOnlyList<TargetSnapshot> FirstWave, DispatchInfo Work, TimeSpan ProgressDeadline);

/// <summary>Starts a rollout (plans its targets over the matching agents) and ends one.</summary>
internal static class RolloutTargets
{
    /// <summary>
    /// Plans the targets (active agents labelled env=ENVIRONMENT plus the target labels), sets the
    /// rollout running and its first wave applying, as the driver's first step would: the caller
    /// sends that wave its assignments as soon as this transaction commits, without waiting for
    /// the driver to re-read 10,000 targets.
    /// </summary>
    public static async Task<StartedRollout> StartAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, ReleaseManifest manifest, ReadOnlyMemory<byte> envelope,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var selector = new SortedDictionary<string, string>(manifest.Release.TargetLabels.ToDictionary(), StringComparer.Ordinal) { ["env"] = manifest.Environment };
        var agents = new List<(Guid Id, string Name)>();
        await using (var select = new NpgsqlCommand("select id, name from agents where revoked_at is null and labels @> $1", connection, transaction))
        {
            select.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(selector));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                agents.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        // One statement for the whole plan: a fleet of 10,000 hosts must not cost 10,000 round trips.
        var onceHooks = RolloutPlanner.HasOnceHooks(manifest.Release);
        var plan = RolloutPlanner.Plan(manifest.Release.Strategy, agents, onceHooks);
        var applied = await DriverQueries.AppliedAsync(connection, transaction, manifest.App, manifest.Environment, cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into rollout_targets (rollout_id, agent_id, agent_name, wave, state, previous_sequence, state_since, updated_at) " +
            "select $1, p.agent_id, p.agent_name, p.wave, case when p.wave = 0 then 'applying' else 'waiting' end, p.previous_sequence, $6, $6 " +
            "from unnest($2::uuid[], $3::text[], $4::integer[], $5::bigint[]) as p (agent_id, agent_name, wave, previous_sequence)",
            connection, transaction))
        {
            insert.Parameters.AddWithValue(rolloutId);
            insert.Parameters.AddWithValue(plan.Select(t => t.AgentId).ToArray());
            insert.Parameters.AddWithValue(plan.Select(t => t.Name).ToArray());
            insert.Parameters.AddWithValue(plan.Select(t => t.Wave).ToArray());
            insert.Parameters.AddWithValue(plan.Select(t => applied.GetValueOrDefault(t.AgentId)).ToArray());
            insert.Parameters.AddWithValue(now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var update = new NpgsqlCommand("update rollouts set state = 'running', started_at = $2 where id = $1", connection, transaction);
        update.Parameters.AddWithValue(rolloutId);
        update.Parameters.AddWithValue(now);
        await update.ExecuteNonQueryAsync(cancellationToken);
        var firstWave = plan.Where(t => t.Wave == 0).Select(t => new TargetSnapshot(t.AgentId, t.Name, 0, TargetState.Applying, now)).ToList();
        return new StartedRollout(rolloutId, firstWave, new DispatchInfo(
            manifest.App, manifest.Environment, manifest.Sequence, ByteString.CopyFrom(envelope.Span), RolloutPlanner.MinHealthySeconds(manifest.Release),
            onceHooks, applied, applied), TimeSpan.FromSeconds(RolloutPlanner.ProgressDeadlineSeconds(manifest.Release)));
    }

    /// <summary>Ends a rollout in <paramref name="state"/>; targets that never started become untouched.</summary>
    public static async Task EndAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string rolloutId, RolloutState state, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var update = new NpgsqlCommand("update rollouts set state = $2, reason = $3, finished_at = $4 where id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(rolloutId);
            update.Parameters.AddWithValue(RolloutNames.Name(state));
            update.Parameters.AddWithValue(reason);
            update.Parameters.AddWithValue(now);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var untouched = new NpgsqlCommand(
            "update rollout_targets set state = 'untouched', updated_at = $2, state_since = $2 where rollout_id = $1 and state = 'waiting'", connection, transaction);
        untouched.Parameters.AddWithValue(rolloutId);
        untouched.Parameters.AddWithValue(now);
        await untouched.ExecuteNonQueryAsync(cancellationToken);
    }
}
