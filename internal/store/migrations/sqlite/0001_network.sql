-- The network: territorial areas, organisations, programmes and the people who
-- sign in, with their roles and sessions.

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE TABLE areas (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    region TEXT NOT NULL
);

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    area_id    INTEGER REFERENCES areas (id),
    created_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE programmes (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    funder          TEXT NOT NULL,
    starts_on       DATE NOT NULL,
    ends_on         DATE NOT NULL,
    lead_org_id     INTEGER NOT NULL REFERENCES organisations (id),
    description     TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE programme_partners (
    programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (programme_id, organisation_id)
);
CREATE INDEX programme_partners_org ON programme_partners (organisation_id);

CREATE TABLE programme_areas (
    programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    area_id      INTEGER NOT NULL REFERENCES areas (id),
    PRIMARY KEY (programme_id, area_id)
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    profession      TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    locale          TEXT NOT NULL DEFAULT 'it',
    password_hash   TEXT NOT NULL DEFAULT '',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE user_areas (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    area_id INTEGER NOT NULL REFERENCES areas (id),
    PRIMARY KEY (user_id, area_id)
);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
