-- Each agent's latest StatusSnapshot in protobuf binary form: it is only ever read whole, and
-- formatting 1,000 heartbeats a second as JSON (reflection-driven) cost the controller more CPU and
-- garbage than the rest of heartbeat ingest. The old column held only the last heartbeat, which
-- every connected agent sends again within one interval.
alter table agents drop column status;
alter table agents add column status bytea;
