-- Issue 4: every backup, verify and restore run an agent reported (stored once per agent event).
create table backup_runs (
    agent_id uuid not null references agents (id),
    sequence bigint not null,
    received_at timestamptz not null,
    operation text not null,
    trigger text not null,
    app text not null,
    name text not null,
    succeeded boolean not null,
    backup_id text not null,
    error text not null,
    started_at timestamptz,
    finished_at timestamptz,
    size_bytes bigint not null,
    sha256 text not null,
    release_sequence bigint not null,
    -- The whole report in protobuf JSON, so fields added later are not lost.
    report jsonb not null,
    primary key (agent_id, sequence)
);

create index backup_runs_declaration on backup_runs (agent_id, app, name, finished_at desc);
