-- Meetings: multidisciplinary case meetings (équipe multidisciplinare) and
-- network steering groups (cabina di regia). Their logistics (kind,
-- subject, time, place or call link, participants) are plain; the minutes,
-- general and per case on the agenda, and the decisions' texts are sealed.
-- A decision names a case on the agenda and becomes a task on that case.
CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('multidisciplinary', 'steering')),
    title          TEXT NOT NULL,
    starts_at      TIMESTAMP NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    link           TEXT NOT NULL DEFAULT '',
    organiser_id   INTEGER NOT NULL REFERENCES users (id),
    organiser_org_id INTEGER NOT NULL REFERENCES organisations (id),
    minutes_sealed TEXT NOT NULL DEFAULT '',
    minutes_by     INTEGER REFERENCES users (id),
    minutes_at     TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meetings_organiser ON meetings (organiser_id, starts_at);

CREATE TABLE meeting_participants (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_participants_user ON meeting_participants (user_id);

CREATE TABLE meeting_cases (
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    minutes_sealed TEXT NOT NULL DEFAULT '',
    minutes_by     INTEGER REFERENCES users (id),
    minutes_at     TIMESTAMP,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX meeting_cases_case ON meeting_cases (case_id);

CREATE TABLE meeting_decisions (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    text_sealed    TEXT NOT NULL,
    responsible_id INTEGER NOT NULL REFERENCES users (id),
    due_at         TIMESTAMP NOT NULL,
    task_id        INTEGER NOT NULL REFERENCES case_tasks (id),
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, case_id);

-- Ethno-clinical consultations: a case's team asks an organisation's
-- ethno-clinical team a question; the team records the sessions held (when,
-- who attended) and its advice. The question, the attendees and the advice
-- belong to the case's health field group and are sealed.
CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    to_org_id       INTEGER NOT NULL REFERENCES organisations (id),
    requested_by    INTEGER NOT NULL REFERENCES users (id),
    requested_at    TIMESTAMP NOT NULL,
    question_sealed TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'answered')),
    advice_sealed   TEXT NOT NULL DEFAULT '',
    advice_by       INTEGER REFERENCES users (id),
    advice_at       TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consultations_case ON consultations (case_id, requested_at);

CREATE TABLE consultation_sessions (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    held_at          TIMESTAMP NOT NULL,
    attendees_sealed TEXT NOT NULL,
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    recorded_at      TIMESTAMP NOT NULL
);
CREATE INDEX consultation_sessions_consultation ON consultation_sessions (consultation_id, held_at);

-- Who works on meetings: those who may update cases organise them (the
-- lead entity's coordinators run the steering groups); every participant
-- reads a meeting and writes its minutes and decisions, and so does its
-- organiser. Health professionals take part without organising.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'create', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'create', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'update', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'update', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'create', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'list', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'list', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'update', 'meeting', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'update', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'list', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'meeting', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'update', 'meeting', 'team');
