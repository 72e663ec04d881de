-- Administration of the network: a version on areas, so that concurrent
-- edits are detected as on every other record; the budget lines of
-- programmes; and the invitations by which new users choose their own
-- password. Only the SHA-256 hash of an invitation's token is stored.

ALTER TABLE areas ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE programme_budget_lines (
    id              INTEGER PRIMARY KEY,
    programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL DEFAULT 0,
    code            TEXT NOT NULL,
    label           TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL CHECK (amount_cents >= 0),
    organisation_id INTEGER REFERENCES organisations (id),
    UNIQUE (programme_id, code)
);
CREATE INDEX programme_budget_lines_org ON programme_budget_lines (organisation_id);

CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX invitations_user ON invitations (user_id);

-- Administrators may remove the roles they added (never a built-in one, and
-- only while nobody holds it).
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'delete', 'role', 'network')
    ON CONFLICT DO NOTHING;
