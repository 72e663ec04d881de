-- Durable jobs: work to do at a time, such as an e-mail to send or a task's
-- reminder, that survives restarts and runs once whichever instance gets
-- there first. job_key makes enqueueing idempotent. The payload holds ids
-- only, never names, notes or reasons; last_error holds no personal data.
-- A running job holds a lease (locked_until, locked_by); when it expires,
-- another run takes the job again.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    job_key      TEXT NOT NULL UNIQUE,
    payload      TEXT NOT NULL DEFAULT '{}',
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'running', 'done', 'skipped', 'failed')),
    run_at       TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    locked_until TIMESTAMP,
    locked_by    TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);

-- How a user wants notifications by e-mail: none, each one immediately, or
-- a daily digest at 08:00 (Europe/Rome).
ALTER TABLE users ADD COLUMN notify_email TEXT NOT NULL DEFAULT 'immediately'
    CHECK (notify_email IN ('none', 'immediately', 'daily'));
