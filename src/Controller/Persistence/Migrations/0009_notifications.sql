-- Issue 19: what operators are told. Each notable event is written here once (event_key is unique,
-- so two replicas sweeping at once or a trigger firing twice add nothing), in the transaction that
-- made it happen: a webhook is then delivered at least once even if the controller stops right
-- after. The rows of rollout outcomes also feed deployments_total.
create table notifications (
    id               bigserial primary key,
    created_at       timestamptz not null default now(),
    -- rollout.started|succeeded|failed|rolled_back|aborted|approval_waiting, agent.down,
    -- backup.failed, backup.verify_failed, certificate.expiring, certificate.renewal_failed
    kind             text not null,
    event_key        text not null unique,
    app              text not null default '',
    environment      text not null default '',
    -- rollout outcomes only: succeeded|failed|rolled_back|aborted, and how long the rollout ran
    status           text not null default '',
    duration_seconds double precision,
    summary          text not null,
    detail           jsonb not null default '{}'::jsonb,
    -- set once metrics are recorded and webhook deliveries queued for it
    dispatched_at    timestamptz
);

create index notifications_pending on notifications (id) where dispatched_at is null;
create index notifications_outcomes on notifications (app, environment, status) where status <> '';

-- A rollout that starts, waits for approval or ends. A failed rollout that sent hosts back to
-- their previous release (a target reverting or reverted) counts as rolled_back.
create function notifications_rollout() returns trigger language plpgsql as $$
declare
    outcome text;
    subject text := format('%s/%s #%s', new.app, new.environment, new.sequence);
    detail jsonb := jsonb_build_object('rolloutId', new.id, 'sequence', new.sequence, 'state', new.state, 'reason', new.reason);
begin
    if new.state = 'awaiting_approval' and (tg_op = 'INSERT' or old.state <> new.state) then
        insert into notifications (kind, event_key, app, environment, summary, detail)
        values ('rollout.approval_waiting', 'rollout.approval_waiting:' || new.id, new.app, new.environment,
                subject || ' is waiting for approval', detail)
        on conflict (event_key) do nothing;
    end if;
    if new.started_at is not null and (tg_op = 'INSERT' or old.started_at is null) then
        insert into notifications (kind, event_key, app, environment, summary, detail)
        values ('rollout.started', 'rollout.started:' || new.id, new.app, new.environment, subject || ' rollout started', detail)
        on conflict (event_key) do nothing;
    end if;
    if new.state in ('succeeded', 'failed', 'aborted') and (tg_op = 'INSERT' or old.state <> new.state) then
        outcome := case
            when new.state = 'failed' and exists (
                select 1 from rollout_targets t where t.rollout_id = new.id and t.state in ('reverting', 'reverted')) then 'rolled_back'
            else new.state end;
        insert into notifications (kind, event_key, app, environment, status, duration_seconds, summary, detail)
        values ('rollout.' || outcome, 'rollout.finished:' || new.id, new.app, new.environment, outcome,
                extract(epoch from coalesce(new.finished_at, now()) - coalesce(new.started_at, new.created_at)),
                subject || ' ' || replace(outcome, '_', ' ') || case when new.reason = '' then '' else ': ' || new.reason end, detail)
        on conflict (event_key) do nothing;
    end if;
    return null;
end $$;

create trigger rollouts_notifications after insert or update of state, started_at on rollouts
    for each row execute function notifications_rollout();

-- A failed backup or verify run, as the agent reported it.
create function notifications_backup_run() returns trigger language plpgsql as $$
declare
    kind text := case when new.operation = 'Verify' then 'backup.verify_failed' else 'backup.failed' end;
    agent text := (select name from agents where id = new.agent_id);
begin
    insert into notifications (kind, event_key, app, summary, detail)
    values (kind, kind || ':' || new.agent_id || ':' || new.sequence, new.app,
            format('%s of %s/%s on %s failed: %s', lower(new.operation), new.app, new.name, agent, new.error),
            jsonb_build_object('agent', agent, 'backup', new.name, 'operation', lower(new.operation), 'trigger', new.trigger, 'error', new.error))
    on conflict (event_key) do nothing;
    return null;
end $$;

create trigger backup_runs_notifications after insert on backup_runs
    for each row when (not new.succeeded and new.operation in ('Backup', 'Verify')) execute function notifications_backup_run();

-- A certificate whose renewal just failed: once per run of failures, not once per report of it.
create function notifications_certificate() returns trigger language plpgsql as $$
declare
    agent text := (select name from agents where id = new.agent_id);
begin
    if tg_op = 'UPDATE' and old.last_renewal_succeeded = false then
        return null;
    end if;
    insert into notifications (kind, event_key, summary, detail)
    values ('certificate.renewal_failed', 'certificate.renewal_failed:' || new.agent_id || ':' || new.name || ':' || new.reported_at,
            format('renewal of certificate %s on %s failed', new.name, agent),
            jsonb_build_object('agent', agent, 'certificate', new.name, 'notAfter', new.not_after))
    on conflict (event_key) do nothing;
    return null;
end $$;

create trigger agent_certificates_notifications after insert or update of last_renewal_succeeded on agent_certificates
    for each row when (new.last_renewal_succeeded = false) execute function notifications_certificate();

-- Where notifications go (fleetctl webhooks add). The signing secret is kept to sign each body.
create table webhooks (
    name        text primary key,
    url         text not null,
    format      text not null check (format in ('slack', 'json')),
    secret      text not null default '',
    -- notification kinds; empty: all
    events      text[] not null,
    created_at  timestamptz not null,
    created_by  text not null
);

-- The outbox: one row per webhook and notification, queued in the transaction that marks the
-- notification dispatched, retried with backoff until delivered or out of attempts.
create table webhook_deliveries (
    id               bigserial primary key,
    webhook          text not null references webhooks (name) on delete cascade,
    notification_id  bigint not null references notifications (id),
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null,
    delivered_at     timestamptz,
    -- set when the last attempt failed: given up
    failed_at        timestamptz,
    last_error       text not null default '',
    last_error_at    timestamptz,
    unique (webhook, notification_id)
);

create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where delivered_at is null and failed_at is null;

-- fleetctl tokens revoke: a revoked token is refused from its next call on.
alter table tokens add column revoked_at timestamptz;
