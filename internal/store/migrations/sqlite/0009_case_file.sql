-- The case file: the persons a case is about, reports of concern and their
-- screening, notes and interviews with their attachments, the timeline,
-- transfers between organisations and saved working lists.
--
-- Identity and other sensitive fields are sealed by the vault in *_sealed
-- columns, one column per sensitive field group, so that a reader opens only
-- the groups the policy grants them. person_keys holds keyed hashes (blind
-- indexes) of name keys, so that duplicates and names can be found without
-- names in clear.

CREATE TABLE persons (
    id                 INTEGER PRIMARY KEY,
    sex                TEXT NOT NULL DEFAULT '',
    birth_precision    TEXT NOT NULL DEFAULT 'unknown',
    birth_min          DATE,
    birth_max          DATE,
    nationality        TEXT NOT NULL DEFAULT '',
    languages          TEXT NOT NULL DEFAULT '',
    arrived_on         DATE,
    unaccompanied      BOOLEAN NOT NULL DEFAULT FALSE,
    identity_sealed    TEXT NOT NULL DEFAULT '',
    judicial_sealed    TEXT NOT NULL DEFAULT '',
    religion_sealed    TEXT NOT NULL DEFAULT '',
    sexual_life_sealed TEXT NOT NULL DEFAULT '',
    merged_into        INTEGER REFERENCES persons (id),
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX persons_birth ON persons (nationality, birth_min, birth_max);

CREATE TABLE person_keys (
    key       BLOB NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_keys_person ON person_keys (person_id);

-- Identity documents and residence permits: type and dates in clear, for
-- expiry reminders; numbers sealed.
CREATE TABLE person_documents (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    number_sealed TEXT NOT NULL DEFAULT '',
    issuer        TEXT NOT NULL DEFAULT '',
    issued_on     DATE,
    expires_on    DATE
);
CREATE INDEX person_documents_person ON person_documents (person_id);
CREATE INDEX person_documents_expiry ON person_documents (expires_on);

CREATE TABLE person_permits (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    issued_on  DATE,
    expires_on DATE
);
CREATE INDEX person_permits_person ON person_permits (person_id);
CREATE INDEX person_permits_expiry ON person_permits (expires_on);

CREATE TABLE person_links (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    relation        TEXT NOT NULL,
    other_person_id INTEGER REFERENCES persons (id),
    note_sealed     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_links_person ON person_links (person_id);

-- The persons of a case: the main one, and children or relatives.
CREATE TABLE case_persons (
    case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);
CREATE INDEX case_persons_person ON case_persons (person_id);

ALTER TABLE cases ADD COLUMN concerns TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN closure_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN outcomes TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN report_id INTEGER;

-- Reports of concern ("segnalazioni"): who reports, when, about whom,
-- what was observed, how urgent, and the outcome the reporter sees.
CREATE TABLE reports (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    received_at       TIMESTAMP NOT NULL,
    channel           TEXT NOT NULL,
    urgency           TEXT NOT NULL,
    area_id           INTEGER NOT NULL REFERENCES areas (id),
    addressed_org_id  INTEGER NOT NULL REFERENCES organisations (id),
    reporter_user_id  INTEGER REFERENCES users (id),
    reporter_org_id   INTEGER REFERENCES organisations (id),
    reporter_sealed   TEXT NOT NULL DEFAULT '',
    subject_sealed    TEXT NOT NULL DEFAULT '',
    observed_sealed   TEXT NOT NULL DEFAULT '',
    subject_person_id INTEGER REFERENCES persons (id),
    status            TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    outcome_at        TIMESTAMP,
    case_id           INTEGER REFERENCES cases (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reports_addressed ON reports (addressed_org_id, status, received_at);
CREATE INDEX reports_area ON reports (area_id, status, received_at);
CREATE INDEX reports_reporter ON reports (reporter_user_id, received_at);

-- Screening checklists are data: sets of indicators an administrator may
-- edit. Each indicator names the sensitive field group its answer belongs to.
CREATE TABLE indicator_sets (
    code     TEXT PRIMARY KEY,
    name_it  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    source   TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    active   BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE indicators (
    set_code    TEXT NOT NULL REFERENCES indicator_sets (code) ON UPDATE CASCADE,
    code        TEXT NOT NULL,
    label_it    TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    field_group TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (set_code, code)
);

CREATE TABLE screenings (
    id                 INTEGER PRIMARY KEY,
    report_id          INTEGER NOT NULL REFERENCES reports (id),
    case_id            INTEGER REFERENCES cases (id),
    screened_by        INTEGER NOT NULL REFERENCES users (id),
    screened_at        TIMESTAMP NOT NULL,
    answers_sealed     TEXT NOT NULL DEFAULT '',
    trafficking_status TEXT NOT NULL DEFAULT '',
    decision           TEXT NOT NULL,
    reasons_sealed     TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX screenings_report ON screenings (report_id);
CREATE INDEX screenings_case ON screenings (case_id);

-- Notes and interviews are append-only: a correction is a new entry that
-- points to the one it corrects.
CREATE TABLE case_notes (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    occurred_at         TIMESTAMP NOT NULL,
    author_id           INTEGER NOT NULL REFERENCES users (id),
    author_org_id       INTEGER NOT NULL REFERENCES organisations (id),
    mediator_id         INTEGER REFERENCES users (id),
    language            TEXT NOT NULL DEFAULT '',
    confidentiality     TEXT NOT NULL,
    field_group         TEXT NOT NULL DEFAULT '',
    participants_sealed TEXT NOT NULL DEFAULT '',
    body_sealed         TEXT NOT NULL,
    corrects_id         INTEGER REFERENCES case_notes (id),
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    note_id      INTEGER NOT NULL REFERENCES case_notes (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    name_sealed  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX attachments_note ON attachments (note_id);

CREATE TABLE attachment_contents (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachments (id),
    content       BLOB NOT NULL
);

-- The timeline of a case: everything that happened, newest first. Details
-- hold catalogue arguments, never sensitive values.
CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    at       TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    kind     TEXT NOT NULL,
    ref_id   INTEGER,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- Transfers of a case to another organisation, which must accept.
CREATE TABLE case_transfers (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    from_org_id    INTEGER NOT NULL REFERENCES organisations (id),
    to_org_id      INTEGER NOT NULL REFERENCES organisations (id),
    requested_by   INTEGER NOT NULL REFERENCES users (id),
    requested_at   TIMESTAMP NOT NULL,
    reason_sealed  TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    decided_by     INTEGER REFERENCES users (id),
    decided_at     TIMESTAMP
);
CREATE INDEX case_transfers_case ON case_transfers (case_id, requested_at);
CREATE INDEX case_transfers_to ON case_transfers (to_org_id, state);

-- Working lists a user saved: a name and the filters of the case list.
CREATE TABLE saved_lists (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TRIGGER case_notes_no_update BEFORE UPDATE ON case_notes
BEGIN
    SELECT RAISE(ABORT, 'case_notes is append-only');
END;

CREATE TRIGGER case_notes_no_delete BEFORE DELETE ON case_notes
BEGIN
    SELECT RAISE(ABORT, 'case_notes is append-only');
END;

-- Default screening checklists, editable by administrators.
INSERT INTO indicator_sets (code, name_it, name_en, source, position) VALUES ('violence_minor', 'Violenza sui minori', 'Violence against minors', '', 1);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'disclosure', 'Il minore racconta di aver subito violenza', 'The child tells of violence suffered', 'violence', 1);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'unexplained_injuries', 'Lesioni o segni fisici non spiegati', 'Unexplained injuries or marks', 'violence', 2);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'fear_of_home', 'Paura di tornare a casa o di un adulto', 'Fear of going home or of an adult', 'violence', 3);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'witnessed_violence', 'Violenza assistita in famiglia', 'Violence witnessed in the family', 'violence', 4);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'neglect', 'Trascuratezza: igiene, cibo, cure', 'Neglect: hygiene, food, care', 'violence', 5);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'sexualised_behaviour', 'Comportamenti sessualizzati non adatti all''età', 'Sexualised behaviour not fit for the age', 'sexual_life', 6);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'school_absence', 'Assenze scolastiche ripetute o improvvise', 'Repeated or sudden absence from school', '', 7);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'child_labour', 'Lavoro minorile o sfruttamento', 'Child labour or exploitation', 'violence', 8);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'early_marriage', 'Matrimonio precoce o forzato', 'Early or forced marriage', 'violence', 9);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'fgm_risk', 'Rischio di mutilazioni genitali femminili', 'Risk of female genital mutilation', 'health', 10);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('violence_minor', 'self_harm', 'Autolesionismo o pensieri suicidari', 'Self-harm or suicidal thoughts', 'health', 11);
INSERT INTO indicator_sets (code, name_it, name_en, source, position) VALUES ('gbv', 'Violenza di genere', 'Gender-based violence', 'GBV classification core incident types; L. 53/2022', 2);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'rape', 'Stupro', 'Rape', 'violence', 1);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'sexual_assault', 'Violenza sessuale', 'Sexual assault', 'violence', 2);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'physical_assault', 'Aggressione fisica', 'Physical assault', 'violence', 3);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'forced_marriage', 'Matrimonio forzato', 'Forced marriage', 'violence', 4);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'denial_of_resources', 'Negazione di risorse, opportunità o servizi', 'Denial of resources, opportunities or services', 'violence', 5);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'psychological_abuse', 'Violenza psicologica o emotiva', 'Psychological or emotional abuse', 'violence', 6);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'stalking', 'Atti persecutori (stalking)', 'Stalking', 'violence', 7);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'children_present', 'Figli presenti durante la violenza', 'Children present during the violence', 'violence', 8);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('gbv', 'revictimisation_risk', 'Rischio di rivittimizzazione', 'Risk of re-victimisation', 'violence', 9);
INSERT INTO indicator_sets (code, name_it, name_en, source, position) VALUES ('trafficking', 'Tratta e sfruttamento', 'Trafficking and exploitation', 'IOM Human Trafficking Case Data Standard 2.0 (CC BY 4.0): methods of control and types of exploitation', 3);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'PhysicalThreats', 'Minacce fisiche', 'Physical threats', 'violence', 1);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ThreatsLawEnforcement', 'Minaccia di denuncia alle forze dell''ordine', 'Threats of law enforcement', 'violence', 2);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ThreatensChildrenFamily', 'Minacce ai figli o alla famiglia', 'Threatens children/family', 'violence', 3);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'DebtBondage', 'Servitù per debiti', 'Debt bondage', 'violence', 4);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'FalsePromises', 'False promesse', 'False promises', 'violence', 5);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'PhysicalAbuse', 'Violenza fisica', 'Physical abuse', 'violence', 6);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'SexualAbuse', 'Violenza sessuale', 'Sexual abuse', 'violence', 7);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'TakesEarnings', 'Sottrazione dei guadagni', 'Takes earnings', 'violence', 8);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'RestrictsFinancialAccess', 'Limita l''accesso al denaro', 'Restricts financial access', 'violence', 9);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'RestrictsMedicalCare', 'Limita l''accesso alle cure', 'Restricts medical care', 'violence', 10);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'WithholdsNecessities', 'Nega beni di prima necessità', 'Withholds necessities', 'violence', 11);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'PsychologicalAbuse', 'Violenza psicologica', 'Psychological abuse', 'violence', 12);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'PsychoactiveSubstance', 'Somministrazione di sostanze psicoattive', 'Psychoactive substance', 'violence', 13);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ExcessiveWorkingHours', 'Orari di lavoro eccessivi', 'Excessive working hours', 'violence', 14);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'WithholdsDocuments', 'Trattiene i documenti', 'Withholds documents', 'violence', 15);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ForcedLabour', 'Lavoro forzato', 'Forced labour', 'violence', 16);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'SexualExploitation', 'Sfruttamento sessuale', 'Sexual exploitation', 'violence', 17);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ChildLabour', 'Lavoro minorile', 'Child labour', 'violence', 18);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ForcedMarriage', 'Matrimonio forzato', 'Forced marriage', 'violence', 19);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'Servitude', 'Servitù', 'Servitude', 'violence', 20);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ForcedBegging', 'Accattonaggio forzato', 'Forced begging', 'violence', 21);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'ForcedCriminality', 'Coinvolgimento forzato in attività illecite', 'Forced criminal activity', 'violence', 22);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('trafficking', 'OrganRemoval', 'Espianto di organi', 'Organ removal', 'violence', 23);
INSERT INTO indicator_sets (code, name_it, name_en, source, position) VALUES ('vulnerability', 'Vulnerabilità', 'Vulnerability', '', 4);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'health', 'Problemi di salute fisica', 'Physical health needs', 'health', 1);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'psycho_social', 'Disagio psicologico o psicosociale', 'Psychological or psycho-social distress', 'health', 2);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'disability', 'Disabilità', 'Disability', 'health', 3);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'pregnancy', 'Gravidanza', 'Pregnancy', 'health', 4);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'mother_alone', 'Madre sola con figli', 'Mother alone with children', '', 5);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'lgbti', 'Persona LGBTI', 'LGBTI person', 'sexual_life', 6);
INSERT INTO indicators (set_code, code, label_it, label_en, field_group, position) VALUES ('vulnerability', 'unaccompanied', 'Minore non accompagnato', 'Unaccompanied minor', '', 7);

-- Default permissions on reports and checklists, after DOMAIN.md: reporters file
-- reports and see their own outcome; social workers receive and screen the
-- reports addressed to their organisation or area.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'create', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'list', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('reporter', 'read', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'create', 'report', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'report', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'report', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'report', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'report', 'area');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'report', 'area');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'report', 'area');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'list', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'create', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'list', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'create', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'list', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'report', 'own');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('administrator', 'update', 'indicator', 'network');
