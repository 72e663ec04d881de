-- Linguistic and cultural mediation. The registry holds one profile per
-- user with the mediator role: the languages (ISO 639) and dialects they
-- speak, the areas they serve, their gender as they declare it (a person
-- may ask for a mediator of a given gender), their weekly availability and
-- whether they take bookings. None of it is about a person followed, so it
-- stays in clear.
CREATE TABLE mediators (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL UNIQUE REFERENCES users (id),
    gender             TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male', 'non_binary')),
    dialects           TEXT NOT NULL DEFAULT '',
    availability_notes TEXT NOT NULL DEFAULT '',
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE mediator_languages (
    mediator_id INTEGER NOT NULL REFERENCES mediators (id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    PRIMARY KEY (mediator_id, language)
);
CREATE INDEX mediator_languages_language ON mediator_languages (language);

CREATE TABLE mediator_areas (
    mediator_id INTEGER NOT NULL REFERENCES mediators (id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL REFERENCES areas (id),
    PRIMARY KEY (mediator_id, area_id)
);

-- Weekly slots: a weekday (1 Monday to 7 Sunday) and a span of minutes
-- from midnight, Europe/Rome.
CREATE TABLE mediator_slots (
    mediator_id INTEGER NOT NULL REFERENCES mediators (id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    from_minute INTEGER NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
    to_minute   INTEGER NOT NULL CHECK (to_minute BETWEEN 1 AND 1440),
    CHECK (from_minute < to_minute),
    PRIMARY KEY (mediator_id, weekday, from_minute)
);

-- Bookings of a mediator, asked from a case: requested, assigned,
-- confirmed by the mediator, done with the minutes worked, or cancelled by
-- the requester. A decline sends the booking back to requested and is kept
-- in mediation_declines. The place (possibly a home address), the notes
-- and the reasons are sealed; the case is never shown to the mediator.
-- A mediator is never assigned or confirmed twice over the same minutes:
-- the service checks it while holding the mediator's row.
CREATE TABLE mediation_bookings (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    requested_by         INTEGER NOT NULL REFERENCES users (id),
    requester_org_id     INTEGER NOT NULL REFERENCES organisations (id),
    language             TEXT NOT NULL,
    purpose              TEXT NOT NULL CHECK (purpose IN ('interview', 'health', 'school', 'court', 'other')),
    starts_at            TIMESTAMP NOT NULL,
    duration_minutes     INTEGER NOT NULL CHECK (duration_minutes > 0),
    ends_at              TIMESTAMP NOT NULL,
    remote               BOOLEAN NOT NULL DEFAULT FALSE,
    place_sealed         TEXT NOT NULL DEFAULT '',
    notes_sealed         TEXT NOT NULL DEFAULT '',
    mediator_gender      TEXT NOT NULL DEFAULT '' CHECK (mediator_gender IN ('', 'female', 'male', 'non_binary')),
    state                TEXT NOT NULL DEFAULT 'requested'
                         CHECK (state IN ('requested', 'assigned', 'confirmed', 'done', 'cancelled')),
    mediator_id          INTEGER REFERENCES mediators (id),
    assigned_by          INTEGER REFERENCES users (id),
    assigned_at          TIMESTAMP,
    confirmed_at         TIMESTAMP,
    worked_minutes       INTEGER NOT NULL DEFAULT 0 CHECK (worked_minutes >= 0),
    done_at              TIMESTAMP,
    cancel_reason_sealed TEXT NOT NULL DEFAULT '',
    cancelled_by         INTEGER REFERENCES users (id),
    cancelled_at         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mediation_bookings_case ON mediation_bookings (case_id, starts_at);
CREATE INDEX mediation_bookings_mediator ON mediation_bookings (mediator_id, state, starts_at);
CREATE INDEX mediation_bookings_state ON mediation_bookings (state, starts_at);

CREATE TABLE mediation_declines (
    booking_id    INTEGER NOT NULL REFERENCES mediation_bookings (id) ON DELETE CASCADE,
    mediator_id   INTEGER NOT NULL REFERENCES mediators (id),
    reason_sealed TEXT NOT NULL,
    declined_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (booking_id, mediator_id, declined_at)
);

-- Who keeps the registry: coordinators and administrators manage the
-- profiles; case workers read it; a mediator reads their own and keeps
-- their availability.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'list', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'create', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'manage', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'update', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'list', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'read', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'create', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'manage', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'mediator', 'network');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'read', 'mediator', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'update', 'mediator', 'own');

-- Bookings: whoever may update a case asks for a mediator (the case's own
-- policy); the requesting organisation and the lead entity of the case's
-- programme assign one; the mediator sees their own bookings' logistics,
-- confirms or declines them and records the hours.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'manage', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'manage', 'mediation_booking', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'list', 'mediation_booking', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'mediation_booking', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'manage', 'mediation_booking', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'list', 'mediation_booking', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'read', 'mediation_booking', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('mediator', 'update', 'mediation_booking', 'own');
