-- Notes and interviews: the order the notes section reads them in (newest
-- first by when they happened, corrections beside the note they correct),
-- and attachments kept as notes are, append-only: a file attached to a note
-- is part of the record and is never changed or removed.

CREATE INDEX case_notes_occurred ON case_notes (case_id, occurred_at, id);
CREATE INDEX case_notes_corrects ON case_notes (corrects_id);
CREATE INDEX attachments_case ON attachments (case_id, note_id);

CREATE FUNCTION attachments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER attachments_no_change BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_append_only();

CREATE TRIGGER attachment_contents_no_change BEFORE UPDATE OR DELETE ON attachment_contents
    FOR EACH ROW EXECUTE FUNCTION attachments_append_only();
