-- Tasks on cases: a dated duty with someone responsible, open until it is
-- done or closed with a reason. The title and the reason are sealed, as they
-- may name the person. An open task past its due date makes its case
-- overdue, which the case list filters on.
CREATE TABLE case_tasks (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    title_sealed   TEXT NOT NULL,
    due_at         TIMESTAMP NOT NULL,
    responsible_id INTEGER NOT NULL REFERENCES users (id),
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'closed')),
    reason_sealed  TEXT NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    closed_by      INTEGER REFERENCES users (id),
    closed_at      TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_tasks_case ON case_tasks (case_id, state, due_at);
CREATE INDEX case_tasks_responsible ON case_tasks (responsible_id, state, due_at);
