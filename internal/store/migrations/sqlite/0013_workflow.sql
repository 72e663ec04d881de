-- The workflow of a case: who may lead a case through its stages, the
-- history of its edits for detecting and explaining lost updates, the
-- reasons of going back and reopening, transfers that the receiving
-- organisation accepts or declines, working lists, and an index for finding
-- a case by the first characters of its code.

-- Every edit of a case: the version it made, who made it, when, and the
-- fields it changed with their values before and after (codes and ids
-- only, never a sensitive value), so that an edit made from an older
-- version can be told what changed meanwhile.
CREATE TABLE case_revisions (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    at       TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    changes  TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

-- Changes of stage with the reason written for them (going back,
-- reopening), sealed as it may name the person.
CREATE TABLE case_stage_changes (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at            TIMESTAMP NOT NULL,
    actor_id      INTEGER REFERENCES users (id),
    from_stage    TEXT NOT NULL,
    to_stage      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    reason_sealed TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_stage_changes_case ON case_stage_changes (case_id, at);

-- A transfer says whether the previous case worker stays on the team, and
-- why the receiving organisation declined. A case has at most one pending
-- transfer.
ALTER TABLE case_transfers ADD COLUMN requester_stays BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE case_transfers ADD COLUMN decline_reason_sealed TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX case_transfers_one_pending ON case_transfers (case_id) WHERE state = 'pending';
CREATE INDEX case_transfers_from ON case_transfers (from_org_id, state);

-- Case codes are stored upper-case; a search by the first characters of a
-- code is a LIKE 'PREFIX%' that this index serves.
CREATE INDEX cases_code_prefix ON cases (code COLLATE NOCASE);
CREATE INDEX cases_owner_opened ON cases (owner_org_id, opened_at);

-- Default permissions, after DOMAIN.md: the social workers of the owner
-- organisation lead the case through its stages, close, reopen, reassign and
-- transfer it ("manage"); the social workers of a receiving organisation see
-- and decide the transfers addressed to it; everyone who lists cases keeps
-- working lists of their own.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'manage', 'case', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'case_transfer', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'approve', 'case_transfer', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'manage', 'saved_list', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'manage', 'saved_list', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'manage', 'saved_list', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'manage', 'saved_list', 'own');
