-- How many cases stand in each organisation, area, programme, stage and
-- kind, kept by triggers as cases are added, moved and removed, so that the
-- totals of lists and the counts of dashboards add up a few rows instead of
-- counting a region's cases. programme_id is 0 for cases of no programme.
CREATE TABLE case_counts (
    owner_org_id INTEGER NOT NULL,
    area_id      INTEGER NOT NULL,
    programme_id INTEGER NOT NULL,
    stage        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (owner_org_id, area_id, programme_id, stage, kind)
);

INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
    SELECT owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind, COUNT(*) FROM cases
    GROUP BY owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
        VALUES (NEW.owner_org_id, NEW.area_id, COALESCE(NEW.programme_id, 0), NEW.stage, NEW.kind, 1)
        ON CONFLICT (owner_org_id, area_id, programme_id, stage, kind) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_counts SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND area_id = OLD.area_id
        AND programme_id = COALESCE(OLD.programme_id, 0) AND stage = OLD.stage AND kind = OLD.kind;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF owner_org_id, area_id, programme_id, stage, kind ON cases
BEGIN
    UPDATE case_counts SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND area_id = OLD.area_id
        AND programme_id = COALESCE(OLD.programme_id, 0) AND stage = OLD.stage AND kind = OLD.kind;
    INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
        VALUES (NEW.owner_org_id, NEW.area_id, COALESCE(NEW.programme_id, 0), NEW.stage, NEW.kind, 1)
        ON CONFLICT (owner_org_id, area_id, programme_id, stage, kind) DO UPDATE SET n = n + 1;
END;

-- Lists of an organisation's cases of every stage, newest change first.
CREATE INDEX cases_owner_updated ON cases (owner_org_id, updated_at);
