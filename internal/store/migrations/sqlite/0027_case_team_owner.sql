-- The organisation that owns each case, beside its team members, kept by
-- triggers: a list of a member's cases reads the team cases other
-- organisations own from an index, without reading their own
-- organisation's, which its own bound lists already.
ALTER TABLE case_team ADD COLUMN owner_org_id INTEGER NOT NULL DEFAULT 0;
UPDATE case_team SET owner_org_id = (SELECT owner_org_id FROM cases WHERE cases.id = case_team.case_id);
CREATE INDEX case_team_user_owner ON case_team (user_id, owner_org_id, case_id);

CREATE TRIGGER case_team_owner_insert AFTER INSERT ON case_team WHEN NEW.owner_org_id = 0
BEGIN
    UPDATE case_team SET owner_org_id = (SELECT owner_org_id FROM cases WHERE id = NEW.case_id)
        WHERE case_id = NEW.case_id AND user_id = NEW.user_id;
END;

CREATE TRIGGER case_team_owner_follow AFTER UPDATE OF owner_org_id ON cases
BEGIN
    UPDATE case_team SET owner_org_id = NEW.owner_org_id WHERE case_id = NEW.id;
END;
