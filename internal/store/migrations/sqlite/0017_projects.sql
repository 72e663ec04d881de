-- The individual project of a case: one per case, drafted by the
-- implementing organisation, co-signed by the case owner, approved or
-- returned by the lead entity of the programme. Its content (goals,
-- actions, the person's words) is stored sealed as one JSON document; each
-- approval freezes it as a numbered version.
CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL UNIQUE REFERENCES cases (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'cosigned', 'submitted', 'approved', 'returned')),
    number          INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    content_sealed  TEXT NOT NULL,
    comments_sealed TEXT NOT NULL DEFAULT '',
    drafted_by      INTEGER REFERENCES users (id),
    cosigned_by     INTEGER REFERENCES users (id),
    submitted_by    INTEGER REFERENCES users (id),
    decided_by      INTEGER REFERENCES users (id),
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX projects_status ON projects (status);

CREATE TABLE project_versions (
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    approved_at    TIMESTAMP NOT NULL,
    approved_by    INTEGER NOT NULL REFERENCES users (id),
    content_sealed TEXT NOT NULL,
    PRIMARY KEY (project_id, number)
);

-- The catalogue of interventions, after the seeds: the case kinds each
-- serves (empty: every kind), its caps in months and in cents (0: none),
-- and the budget line of the programme it draws on.
CREATE TABLE interventions (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    kinds       TEXT NOT NULL DEFAULT '',
    cap_months  INTEGER NOT NULL DEFAULT 0,
    cap_cents   INTEGER NOT NULL DEFAULT 0,
    budget_line TEXT NOT NULL DEFAULT ''
);
INSERT INTO interventions (code, position, kinds, cap_months, cap_cents, budget_line) VALUES
    ('italian_course', 1, '', 0, 0, 'training'),
    ('housing_search', 2, 'unaccompanied_minor,woman_violence,trafficking_victim', 0, 0, 'autonomy'),
    ('housing_furniture', 3, 'unaccompanied_minor,woman_violence,trafficking_victim', 0, 150000, 'autonomy'),
    ('rent_support', 4, 'unaccompanied_minor,woman_violence,trafficking_victim', 12, 600000, 'autonomy'),
    ('childcare_nursery', 5, 'woman_violence,trafficking_victim,family_in_distress', 12, 400000, 'autonomy'),
    ('childcare_babysitting', 6, 'woman_violence,trafficking_victim,family_in_distress', 12, 300000, 'autonomy'),
    ('basic_goods', 7, '', 0, 100000, 'basic_needs'),
    ('vocational_course', 8, '', 0, 250000, 'training'),
    ('driving_licence', 9, 'unaccompanied_minor,trafficking_victim,woman_violence', 0, 120000, 'training'),
    ('haccp_course', 10, '', 0, 30000, 'training'),
    ('operator_accompaniment', 11, '', 0, 0, 'staff'),
    ('civic_orientation', 12, '', 0, 0, 'training'),
    ('educational_support', 13, '', 0, 0, 'staff'),
    ('psychological_support', 14, '', 0, 0, 'care'),
    ('parenting_support', 15, 'woman_violence,family_in_distress,minor_family_violence', 0, 0, 'care'),
    ('job_placement', 16, 'unaccompanied_minor,woman_violence,trafficking_victim,family_in_distress', 6, 300000, 'work'),
    ('protected_apartment', 17, 'woman_violence,trafficking_victim', 18, 0, 'accommodation'),
    ('cultural_mediation', 18, '', 0, 0, 'mediation'),
    ('ethnoclinical_consultation', 19, '', 0, 0, 'care'),
    ('legal_aid', 20, '', 0, 0, 'legal');

-- The lead entity of a programme reads the projects of its cases and
-- approves or returns them.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'read', 'project', 'programme');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('lead_coordinator', 'approve', 'project', 'programme');

-- The periodic reviews of an approved project: progress per goal and a
-- summary, sealed as one JSON document.
CREATE TABLE project_reviews (
    project_id     INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    reviewed_on    DATE NOT NULL,
    content_sealed TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, number)
);

-- What approved projects commit of their programme's budget lines: the
-- planned cost of their actions by line, for the project's last approved
-- version. Amounts name no person, so they stay in clear for the sums.
CREATE TABLE project_commitments (
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    programme_id INTEGER NOT NULL REFERENCES programmes (id),
    budget_line  TEXT NOT NULL,
    cents        INTEGER NOT NULL,
    PRIMARY KEY (project_id, budget_line)
);
CREATE INDEX project_commitments_line ON project_commitments (programme_id, budget_line);
