-- Issue 18: desired state per app and environment, fleet-wide presence, hosts pending a rollout.

-- Until when an agent counts as connected: its last heartbeat plus the down grace period, or the
-- moment its stream ended. Written with the heartbeats, so every replica reads the same presence.
alter table agents add column connected_until timestamptz;
update agents set connected_until = last_seen + interval '30 seconds' where last_seen is not null;

-- The agents a rollout is for (env plus the release's target labels): hosts enrolled later that
-- match get the release once it is the desired one. Rollouts from before this migration get env
-- alone: a host outside their target labels is refused by its own agent (it checks them too).
alter table rollouts add column selector jsonb not null default '{}'::jsonb;
update rollouts set selector = jsonb_build_object('env', environment);

-- The release each app and environment should run: the latest whose rollout succeeded.
create table desired_releases (
    app text not null,
    environment text not null,
    release_id text not null,
    rollout_id text not null,
    sequence bigint not null,
    updated_at timestamptz not null,
    primary key (app, environment)
);

insert into desired_releases (app, environment, release_id, rollout_id, sequence, updated_at)
select distinct on (app, environment) app, environment, release_id, id, sequence, coalesce(finished_at, created_at)
  from rollouts where state = 'succeeded' order by app, environment, sequence desc;

-- The driver steps every rollout that still has a host in flight (a revert, or a host converging
-- to a finished rollout's release) without reading the targets of every finished rollout.
create index rollout_targets_in_flight on rollout_targets (rollout_id) where state in ('applying', 'verifying', 'reverting');
-- A host that connects finds its own targets.
create index rollout_targets_agent on rollout_targets (agent_id);
