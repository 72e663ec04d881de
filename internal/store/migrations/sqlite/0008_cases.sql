-- Cases: one shared case file per child, woman or family, held by an owner
-- organisation, worked on by a team drawn from several organisations, and
-- reachable outside one's scope only by break-glass with a written reason.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    programme_id    INTEGER REFERENCES programmes (id),
    area_id         INTEGER NOT NULL REFERENCES areas (id),
    owner_org_id    INTEGER NOT NULL REFERENCES organisations (id),
    case_worker_id  INTEGER REFERENCES users (id),
    stage           TEXT NOT NULL,
    risk            TEXT NOT NULL,
    opened_at       TIMESTAMP NOT NULL,
    closed_at       TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_owner ON cases (owner_org_id, stage, updated_at);
CREATE INDEX cases_area ON cases (area_id, stage, updated_at);
CREATE INDEX cases_programme ON cases (programme_id, stage, updated_at);
CREATE INDEX cases_worker ON cases (case_worker_id, stage, updated_at);

-- The team of a case: users of any organisation with their role in it.
CREATE TABLE case_team (
    case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    role      TEXT NOT NULL,
    added_at  TIMESTAMP NOT NULL,
    added_by  INTEGER REFERENCES users (id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_team_user ON case_team (user_id, case_id);

-- Break-glass: access to a case outside one's scope, for a limited time,
-- after writing a reason (sealed, as it may name the person).
CREATE TABLE break_glass (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    granted_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX break_glass_user ON break_glass (user_id, expires_at);
CREATE INDEX break_glass_case ON break_glass (case_id, granted_at);

-- In-app notifications. They name a case by its code, never by the
-- person's name.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    case_id     INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    case_code   TEXT NOT NULL DEFAULT '',
    actor_id    INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Default permissions on cases, after DOMAIN.md: social workers reach their
-- organisation's cases and team cases elsewhere and may break the glass;
-- partner operators and health professionals reach team cases; the lead
-- entity reaches its programmes' cases as summaries and who saw them.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'case', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'case', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'create', 'case', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'case', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'break_glass', 'case', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'case_access', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'case_access', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'update', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'list', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'case', 'team');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'list', 'case_summary', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'case_summary', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'case_access', 'programme');
