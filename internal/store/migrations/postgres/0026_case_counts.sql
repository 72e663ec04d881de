-- How many cases stand in each organisation, area, programme, stage and
-- kind, kept by a trigger as cases are added, moved and removed, so that the
-- totals of lists and the counts of dashboards add up a few rows instead of
-- counting a region's cases. programme_id is 0 for cases of no programme.
CREATE TABLE case_counts (
    owner_org_id BIGINT NOT NULL,
    area_id      BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    stage        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (owner_org_id, area_id, programme_id, stage, kind)
);

INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
    SELECT owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind, COUNT(*) FROM cases
    GROUP BY owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind;

CREATE FUNCTION case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_counts SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND area_id = OLD.area_id
            AND programme_id = COALESCE(OLD.programme_id, 0) AND stage = OLD.stage AND kind = OLD.kind;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
            VALUES (NEW.owner_org_id, NEW.area_id, COALESCE(NEW.programme_id, 0), NEW.stage, NEW.kind, 1)
            ON CONFLICT (owner_org_id, area_id, programme_id, stage, kind) DO UPDATE SET n = case_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER case_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_follow();
CREATE TRIGGER case_counts_update AFTER UPDATE OF owner_org_id, area_id, programme_id, stage, kind ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_follow();

-- Lists of an organisation's cases of every stage, newest change first.
CREATE INDEX cases_owner_updated ON cases (owner_org_id, updated_at);
