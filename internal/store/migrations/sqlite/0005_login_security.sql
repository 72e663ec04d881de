-- Login security: throttling of failed sign-ins, the pending first half of a
-- two-step sign-in, TOTP second factors and their recovery codes.

-- Failed sign-ins per subject: "account:" or "address:" and a SHA-256, never
-- a username or an address as typed. A subject that reaches its limit within
-- the window is locked until locked_until.
CREATE TABLE login_throttle (
    subject      TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- A sign-in whose password was right and whose second factor is still to
-- come. It is not a session and reaches nothing but the second step.
CREATE TABLE login_pending (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX login_pending_user ON login_pending (user_id);
CREATE INDEX login_pending_expires ON login_pending (expires_at);

-- A user's TOTP second factor (RFC 6238). The secrets are sealed by the
-- vault with the aad "users.totp_secret:<id>" (or totp_pending_secret for an
-- enrolment not yet confirmed). last_step is the time step of the last code
-- accepted, so that no code is accepted twice.
CREATE TABLE user_second_factors (
    user_id        INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret         TEXT NOT NULL DEFAULT '',
    pending_secret TEXT NOT NULL DEFAULT '',
    enabled_at     TIMESTAMP,
    last_step      BIGINT NOT NULL DEFAULT 0,
    updated_at     TIMESTAMP NOT NULL
);

-- One-time recovery codes: only their SHA-256 hashes; a used code is
-- deleted.
CREATE TABLE user_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
