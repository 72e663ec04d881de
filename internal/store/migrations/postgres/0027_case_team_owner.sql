-- The organisation that owns each case, beside its team members, kept by
-- triggers: a list of a member's cases reads the team cases other
-- organisations own from an index, without reading their own
-- organisation's, which its own bound lists already.
ALTER TABLE case_team ADD COLUMN owner_org_id BIGINT NOT NULL DEFAULT 0;
UPDATE case_team t SET owner_org_id = c.owner_org_id FROM cases c WHERE c.id = t.case_id;
CREATE INDEX case_team_user_owner ON case_team (user_id, owner_org_id, case_id);

CREATE FUNCTION case_team_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.owner_org_id := (SELECT owner_org_id FROM cases WHERE id = NEW.case_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER case_team_owner_insert BEFORE INSERT ON case_team
    FOR EACH ROW EXECUTE FUNCTION case_team_owner();

CREATE FUNCTION case_team_owner_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_team SET owner_org_id = NEW.owner_org_id WHERE case_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER case_team_owner_follow AFTER UPDATE OF owner_org_id ON cases
    FOR EACH ROW EXECUTE FUNCTION case_team_owner_follow();
