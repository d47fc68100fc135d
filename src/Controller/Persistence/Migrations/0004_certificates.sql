-- The latest reported state of each certificate on each agent (fleetctl certs list, fleetctl status).
create table agent_certificates (
    agent_id                uuid not null references agents (id),
    name                    text not null,
    -- the agent's CertificateReport in protobuf JSON form
    report                  jsonb not null,
    not_after               timestamptz,
    last_renewal_succeeded  boolean,
    -- the agent's clock when it reported this state; an older report never replaces a newer one
    reported_at             timestamptz not null,
    primary key (agent_id, name)
);

create index agent_certificates_not_after on agent_certificates (not_after);
