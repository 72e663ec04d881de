-- Persons of the case file, as casework writes them.
--
-- keys_version records the names.KeysVersion whose rules made a person's
-- rows of person_keys, so that the blind indexes can be rebuilt when the
-- rules change. A row of case_persons moved from another person by a merge
-- names it in merged_from, so that the history of both stays readable.

ALTER TABLE persons ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_persons ADD COLUMN added_at TIMESTAMP;
ALTER TABLE case_persons ADD COLUMN merged_from INTEGER REFERENCES persons (id);
CREATE INDEX persons_merged ON persons (merged_into);
CREATE INDEX person_links_other ON person_links (other_person_id);
