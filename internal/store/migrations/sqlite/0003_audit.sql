-- The audit log: every read of a case-level record, every change, export,
-- login, failed login, permission change and break-glass access. Entries are
-- chained: each hash covers the entry and the hash before it, so that
-- editing, removing or reordering any entry breaks the chain. Triggers make
-- the table append-only for Approdo itself.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor_org_id INTEGER NOT NULL DEFAULT 0,
    action       TEXT NOT NULL,
    record_type  TEXT NOT NULL DEFAULT '',
    record_id    TEXT NOT NULL DEFAULT '',
    case_id      INTEGER NOT NULL DEFAULT 0,
    fields       TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT '',
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq) WHERE case_id <> 0;
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
