namespace Fleet.Controller.Telemetry;

internal sealed partial class FleetReader
{
    // Every outcome of every app and environment that ever had a rollout, 0 included: an alert on
    // increase() needs the series to exist before its first failure.
    private const string DeploymentsSql =
        """
        select k.app, k.environment, s.status, coalesce(n.count, 0)
        from (select distinct app, environment from rollouts) k
        cross join unnest($1::text[]) as s (status)
        left join (select app, environment, status, count(*) as count from notifications where status <> '' group by 1, 2, 3) n
            using (app, environment, status)
        """;

    // Pending: enrolled, never seen. Down: seen, but not within the down-after window.
    private const string AgentsSql =
        """
        select count(*) filter (where revoked_at is null and last_seen >= $1),
               count(*) filter (where revoked_at is null and last_seen < $1),
               count(*) filter (where revoked_at is null and last_seen is null),
               count(*) filter (where revoked_at is not null)
        from agents
        """;

    // Per declaration (agent, app, name) of an agent that is not revoked: the newest good backup and the newest verify.
    private const string BackupsSql =
        """
        with latest as (
            select distinct on (agent_id, app, name, operation, operation = 'Verify' or succeeded)
                   agent_id, app, name, operation, succeeded, coalesce(finished_at, received_at) as at, size_bytes
            from backup_runs
            where operation in ('Backup', 'Verify')
            order by agent_id, app, name, operation, operation = 'Verify' or succeeded, coalesce(finished_at, received_at) desc
        )
        select a.name, l.app, l.name,
               max(l.at) filter (where l.operation = 'Backup' and l.succeeded),
               max(l.size_bytes) filter (where l.operation = 'Backup' and l.succeeded),
               max(l.at) filter (where l.operation = 'Verify'),
               bool_or(l.succeeded) filter (where l.operation = 'Verify')
        from latest l join agents a on a.id = l.agent_id
        where a.revoked_at is null
        group by a.name, l.app, l.name
        """;
}
