create table agents (
    id              uuid primary key,
    name            text not null,
    labels          jsonb not null default '{}'::jsonb,
    agent_version   text not null default '',
    enrolled_at     timestamptz not null,
    revoked_at      timestamptz,
    last_seen       timestamptz,
    -- latest StatusSnapshot in protobuf JSON form
    status          jsonb,
    cert_serial     text not null,
    cert_not_after  timestamptz not null
);

-- A name is unique among agents that are not revoked; revoked rows keep their history.
create unique index agents_active_name on agents (name) where revoked_at is null;
create index agents_labels on agents using gin (labels);

create table tokens (
    id           text primary key,
    secret_hash  bytea not null,
    role         text not null check (role in ('viewer', 'deployer', 'admin', 'agent-join')),
    description  text not null default '',
    created_at   timestamptz not null,
    expires_at   timestamptz,
    max_uses     integer,
    uses         integer not null default 0
);
