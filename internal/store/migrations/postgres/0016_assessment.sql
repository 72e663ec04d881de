-- The assessment of a case, one row per section (social history,
-- vulnerability assessment, documents and legal status pathway). The
-- section's fields are sealed as JSON documents, one per field group: the
-- general fields, which whoever reads the case reads, and the health,
-- violence and judicial ones, opened only for those the policy grants the
-- group. The version guards against saving over someone else's save.
CREATE TABLE case_assessments (
    case_id          BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    section          TEXT NOT NULL CHECK (section IN ('social_history', 'vulnerability', 'legal_pathway')),
    general_sealed   TEXT NOT NULL DEFAULT '',
    health_sealed    TEXT NOT NULL DEFAULT '',
    violence_sealed  TEXT NOT NULL DEFAULT '',
    judicial_sealed  TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    updated_by       BIGINT NOT NULL REFERENCES users (id),
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, section)
);
