-- The service directory: the services each organisation of the network
-- offers, with the fields of Open Referral HSDS 3. uid is the service's
-- HSDS identifier, stable across an export and an import. service_types and
-- case_kinds are comma-separated codes (the needs it meets, the kinds of
-- case it serves; empty: every kind); min_age and max_age are NULL when
-- there is no limit; response_days is the expected time to answer a
-- referral (0: not stated). The areas served, languages, opening hours,
-- required documents and contacts are child rows, rewritten on each edit.
CREATE TABLE services (
    id                      INTEGER PRIMARY KEY,
    uid                     TEXT NOT NULL UNIQUE,
    organisation_id         INTEGER NOT NULL REFERENCES organisations (id),
    name                    TEXT NOT NULL,
    alternate_name          TEXT NOT NULL DEFAULT '',
    description             TEXT NOT NULL DEFAULT '',
    url                     TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    service_types           TEXT NOT NULL DEFAULT '',
    case_kinds              TEXT NOT NULL DEFAULT '',
    eligibility             TEXT NOT NULL DEFAULT '',
    min_age                 INTEGER,
    max_age                 INTEGER,
    interpretation_services TEXT NOT NULL DEFAULT '',
    application_process     TEXT NOT NULL DEFAULT '',
    fees_description        TEXT NOT NULL DEFAULT '',
    response_days           INTEGER NOT NULL DEFAULT 0 CHECK (response_days >= 0),
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE INDEX services_organisation ON services (organisation_id, status);

CREATE TABLE service_areas (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    area_id    INTEGER NOT NULL REFERENCES areas (id),
    PRIMARY KEY (service_id, area_id)
);
CREATE INDEX service_areas_area ON service_areas (area_id);

-- Languages are ISO 639 codes.
CREATE TABLE service_languages (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    PRIMARY KEY (service_id, code)
);
CREATE INDEX service_languages_code ON service_languages (code);

-- Opening hours after the HSDS schedule: the weekdays (RFC 5545 codes,
-- comma-separated) with the hours, or a description, or both.
CREATE TABLE service_schedules (
    service_id  INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    byday       TEXT NOT NULL DEFAULT '',
    opens_at    TEXT NOT NULL DEFAULT '',
    closes_at   TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, position)
);

CREATE TABLE service_documents (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE service_contacts (
    service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, position)
);

-- Everyone who reads the network's directory reads its services;
-- administrators add and edit any service and import the directory,
-- coordinators and social workers those of their own organisation.
INSERT INTO role_permissions (role, verb, resource, scope)
    SELECT role, 'read', 'service', 'network' FROM role_permissions
    WHERE verb = 'read' AND resource = 'directory' AND scope = 'network';
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'service', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'service', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'manage', 'service', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'create', 'service', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'update', 'service', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'create', 'service', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'service', 'organisation');
