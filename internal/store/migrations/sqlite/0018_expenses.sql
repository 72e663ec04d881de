-- What the actions of approved projects actually cost: each expense names
-- the action of the approved project it pays for, so the budget line it
-- draws on, and is kept append-only. Its receipt is an encrypted
-- attachment of the note that records the expense on the case. Amounts
-- name no person and stay in clear for the sums; the description is sealed.
CREATE TABLE project_expenses (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    case_id            INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    programme_id       INTEGER REFERENCES programmes (id),
    budget_line        TEXT NOT NULL DEFAULT '',
    domain             TEXT NOT NULL,
    action_index       INTEGER NOT NULL,
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    spent_on           DATE NOT NULL,
    description_sealed TEXT NOT NULL,
    note_id            INTEGER NOT NULL REFERENCES case_notes (id),
    attachment_id      INTEGER REFERENCES attachments (id),
    created_by         INTEGER NOT NULL REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX project_expenses_project ON project_expenses (project_id, spent_on);
CREATE INDEX project_expenses_line ON project_expenses (programme_id, budget_line);
