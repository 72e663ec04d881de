-- Notes and interviews: the order the notes section reads them in (newest
-- first by when they happened, corrections beside the note they correct),
-- and attachments kept as notes are, append-only: a file attached to a note
-- is part of the record and is never changed or removed.

CREATE INDEX case_notes_occurred ON case_notes (case_id, occurred_at, id);
CREATE INDEX case_notes_corrects ON case_notes (corrects_id);
CREATE INDEX attachments_case ON attachments (case_id, note_id);

CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments is append-only');
END;

CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments is append-only');
END;

CREATE TRIGGER attachment_contents_no_update BEFORE UPDATE ON attachment_contents
BEGIN
    SELECT RAISE(ABORT, 'attachment_contents is append-only');
END;

CREATE TRIGGER attachment_contents_no_delete BEFORE DELETE ON attachment_contents
BEGIN
    SELECT RAISE(ABORT, 'attachment_contents is append-only');
END;
