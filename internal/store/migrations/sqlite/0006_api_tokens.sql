-- Personal API tokens: a person's credentials for scripts and other systems
-- that call the JSON API with "Authorization: Bearer <token>". Only the
-- SHA-256 hash of a token is stored; prefix is its first, non-secret part
-- ("apd_" and six characters), shown to recognise the token and used to find
-- its row. A token always expires; revoked_at is set when it is revoked, and
-- the row is kept so that its owner still sees it in the list.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    token_hash   BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP,
    CHECK (expires_at > created_at)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
