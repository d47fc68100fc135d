-- Issue 3: trust policy, signed releases, rollouts, agent events, audit log.

-- Every accepted trust policy; the highest version is the one in force.
create table trust_policies (
    version bigint primary key,
    envelope bytea not null,
    installed_at timestamptz not null,
    installed_by text not null
);

create table releases (
    id text primary key,
    app text not null,
    environment text not null,
    sequence bigint not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    -- The DSSE envelope as stored: the payload bytes never change; approvals add signatures.
    envelope bytea not null,
    signers text[] not null,
    threshold integer not null,
    submitted_at timestamptz not null,
    submitted_by text not null,
    unique (app, environment, sequence)
);

create table rollouts (
    id text primary key,
    release_id text not null references releases (id),
    app text not null,
    environment text not null,
    sequence bigint not null,
    state text not null,
    strategy text not null,
    -- From the manifest, so the driver never re-parses it.
    auto_promote boolean not null,
    -- The release has `run: once` hooks: the wave-0 host (alone) runs them before any other host starts.
    once_hooks boolean not null,
    min_healthy_seconds integer not null,
    progress_deadline_seconds integer not null,
    -- Canary: set by auto-promotion or fleetctl rollout promote.
    promoted boolean not null default false,
    reason text not null default '',
    created_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz
);

-- One active rollout per app and environment.
create unique index rollouts_one_active on rollouts (app, environment)
    where state in ('awaiting_approval', 'running', 'paused', 'awaiting_promotion');

create table rollout_targets (
    rollout_id text not null references rollouts (id),
    agent_id uuid not null references agents (id),
    agent_name text not null,
    wave integer not null,
    state text not null,
    step text not null default '',
    detail text not null default '',
    log_tail text not null default '',
    previous_sequence bigint not null default 0,
    -- When the current state began: progress deadline and healthy time count from here.
    state_since timestamptz not null,
    updated_at timestamptz not null,
    primary key (rollout_id, agent_id)
);

-- What each agent reported it runs (Hello.applied, then HEALTHY/REVERTED events).
create table agent_releases (
    agent_id uuid not null references agents (id),
    app text not null,
    environment text not null,
    sequence bigint not null,
    primary key (agent_id, app, environment)
);

-- Events from agents, de-duplicated on (agent, sequence): delivery is at least once.
create table agent_events (
    agent_id uuid not null references agents (id),
    sequence bigint not null,
    received_at timestamptz not null,
    at timestamptz,
    rollout_id text not null,
    kind text not null,
    step text not null default '',
    detail text not null default '',
    primary key (agent_id, sequence)
);

-- Append-only: submit, approve, abort, rollback, trust changes, with the API token id.
create table audit_log (
    id bigserial primary key,
    at timestamptz not null,
    action text not null,
    token_id text not null,
    subject text not null,
    detail text not null default ''
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;

create trigger audit_log_no_change before update or delete on audit_log
    for each statement execute function audit_log_append_only();
