-- Closed-loop referrals: from a case's team to a service of the directory,
-- or straight to an organisation. The reason (the purpose the consent
-- covers) and the answer (a refusal's or cancellation's reason, or the
-- outcome) are sealed. The consent is scoped to this recipient and this
-- purpose: who gave it, when, in which language they were told what it
-- means, and when it was revoked. An accepted referral with a standing
-- consent lets the recipient organisation read the shared sections.
CREATE TABLE referrals (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_org_id      INTEGER NOT NULL REFERENCES organisations (id),
    from_user_id     INTEGER NOT NULL REFERENCES users (id),
    to_org_id        INTEGER NOT NULL REFERENCES organisations (id),
    service_id       INTEGER REFERENCES services (id),
    reason_sealed    TEXT NOT NULL,
    urgency          TEXT NOT NULL CHECK (urgency IN ('routine', 'urgent', 'emergency')),
    sections         TEXT NOT NULL,
    consent_by       TEXT NOT NULL,
    consent_given_at TIMESTAMP NOT NULL,
    consent_language TEXT NOT NULL,
    consent_revoked_at TIMESTAMP,
    state            TEXT NOT NULL DEFAULT 'sent'
        CHECK (state IN ('sent', 'accepted', 'declined', 'completed', 'cancelled', 'expired')),
    sent_at          TIMESTAMP NOT NULL,
    answer_by        TIMESTAMP NOT NULL,
    answered_at      TIMESTAMP,
    answered_by      INTEGER REFERENCES users (id),
    closed_at        TIMESTAMP,
    answer_sealed    TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_case ON referrals (case_id, sent_at);
CREATE INDEX referrals_to ON referrals (to_org_id, state, sent_at);
CREATE INDEX referrals_from ON referrals (from_org_id, state, sent_at);
CREATE INDEX referrals_waiting ON referrals (state, answer_by);

-- Changes to case teams across organisations, with their sealed reasons:
-- who was added, given another role or removed, by whom and when.
CREATE TABLE case_team_changes (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    change        TEXT NOT NULL CHECK (change IN ('added', 'role', 'removed')),
    role          TEXT NOT NULL DEFAULT '',
    reason_sealed TEXT NOT NULL,
    changed_by    INTEGER NOT NULL REFERENCES users (id),
    changed_at    TIMESTAMP NOT NULL
);
CREATE INDEX case_team_changes_case ON case_team_changes (case_id, changed_at);

-- Who works on referrals: the case workers, partner operators and health
-- professionals of the sending and receiving organisations. Sending also
-- needs the right to update the case; the organisation scope is where the
-- referral goes or comes from.
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'create', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'read', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('social_worker', 'update', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'create', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'read', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('partner_operator', 'update', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'create', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'read', 'referral', 'organisation');
INSERT INTO role_permissions (role, verb, resource, scope) VALUES ('health_professional', 'update', 'referral', 'organisation');
