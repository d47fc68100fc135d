-- The ECDH P-256 public key (SubjectPublicKeyInfo DER) each agent's secrets are sealed for.
alter table agents add column encryption_public_key bytea;

-- One row per version of a secret; versions are kept so a rollback runs with the secrets it was signed with.
create table secret_versions (
    app          text not null,
    environment  text not null,
    name         text not null,
    version      text not null,
    created_at   timestamptz not null,
    primary key (app, environment, name, version)
);

-- Ciphertexts only: one copy per version and recipient key (an agent's, or a recovery key when agent_id is null).
create table sealed_secrets (
    app              text not null,
    environment      text not null,
    name             text not null,
    version          text not null,
    key_fingerprint  text not null,
    agent_id         uuid,
    ciphertext       bytea not null,
    sealed_at        timestamptz not null,
    primary key (app, environment, name, version, key_fingerprint),
    foreign key (app, environment, name, version) references secret_versions on delete cascade
);

create index sealed_secrets_agent on sealed_secrets (agent_id) where agent_id is not null;
