-- Roles and permissions are data: the roles of DOMAIN.md ship here as
-- defaults and administrators may change them or add their own. A
-- permission lets a role take an action (verb) on a kind of record
-- (resource) within a scope: own, team, organisation, area, programme or
-- network. Sensitive field groups are granted per role, optionally only in
-- organisations of some kinds.
CREATE TABLE roles (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    builtin       BOOLEAN NOT NULL DEFAULT FALSE,
    second_factor BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_permissions (
    role     TEXT NOT NULL REFERENCES roles (code) ON DELETE CASCADE ON UPDATE CASCADE,
    verb     TEXT NOT NULL,
    resource TEXT NOT NULL,
    scope    TEXT NOT NULL,
    PRIMARY KEY (role, verb, resource, scope)
);

CREATE TABLE role_field_groups (
    role        TEXT NOT NULL REFERENCES roles (code) ON DELETE CASCADE ON UPDATE CASCADE,
    field_group TEXT NOT NULL,
    org_kinds   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (role, field_group)
);

INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('social_worker', TRUE, TRUE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('partner_operator', TRUE, TRUE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('lead_coordinator', TRUE, TRUE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('health_professional', TRUE, TRUE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('reporter', TRUE, FALSE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('mediator', TRUE, FALSE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('data_officer', TRUE, FALSE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('training_manager', TRUE, FALSE, CURRENT_TIMESTAMP);
INSERT INTO roles (code, builtin, second_factor, created_at) VALUES ('administrator', TRUE, TRUE, CURRENT_TIMESTAMP);

INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('data_officer', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('data_officer', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('data_officer', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('data_officer', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('data_officer', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('training_manager', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('training_manager', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('training_manager', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('training_manager', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('training_manager', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'read', 'directory', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'read', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'user', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'manage', 'session', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'manage', 'token', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'organisation', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'organisation', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'area', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'area', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'programme', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'programme', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'list', 'user', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'read', 'user', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'user', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'user', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'list', 'role', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'read', 'role', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'role', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'role', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'search', 'audit', 'network');

INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'identity', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'health', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'judicial', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'violence', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'sexual_life', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('social_worker', 'religion', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('partner_operator', 'identity', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('partner_operator', 'violence', 'anti_violence_centre,anti_trafficking_project');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('partner_operator', 'shelter_location', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('health_professional', 'identity', '');
INSERT INTO role_field_groups (role, field_group, org_kinds) VALUES ('health_professional', 'health', '');

-- user_roles.role names a role; existing rows already use the default codes.
CREATE INDEX user_roles_role ON user_roles (role);
