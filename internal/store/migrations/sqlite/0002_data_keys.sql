-- Data keys encrypt sensitive fields and attachments (AES-256-GCM). Each is
-- stored wrapped by the master key, which never enters the database;
-- master_id names the master key that wrapped it.
CREATE TABLE data_keys (
    id         INTEGER PRIMARY KEY,
    wrapped    BLOB NOT NULL,
    master_id  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
