package casework

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
	"approdo/referrals"
)

// checkedUpload is an upload that passed checkUpload: its name cleaned and
// its type found from its content.
type checkedUpload struct {
	name        string
	contentType string
	content     []byte
}

// maxAttachmentMB is cases.MaxAttachmentSize in the megabytes messages name.
const maxAttachmentMB = cases.MaxAttachmentSize >> 20

// checkUpload checks a file for attaching: not empty, not over
// cases.MaxAttachmentSize, named, and of a type cases.AttachmentType allows.
// Its problems name the field "file".
func checkUpload(f *Upload) (*checkedUpload, []approdo.FieldError) {
	problem := func(msg string, args ...any) []approdo.FieldError {
		return []approdo.FieldError{{Field: "file", Message: msg, Args: args}}
	}
	switch {
	case f.Problem != "":
		return nil, problem(f.Problem)
	case f.Size > cases.MaxAttachmentSize || len(f.Content) > cases.MaxAttachmentSize:
		return nil, problem("error.attachment.too_large", maxAttachmentMB)
	case len(f.Content) == 0:
		return nil, problem("error.attachment.empty")
	}
	name := cases.CleanAttachmentName(f.Name)
	if name == "" {
		return nil, problem("error.attachment.no_name")
	}
	ct, ok := cases.AttachmentType(f.Content, f.DeclaredType, name)
	if !ok {
		return nil, problem("error.attachment.type")
	}
	return &checkedUpload{name: name, contentType: ct, content: f.Content}, nil
}

// AddAttachment attaches a file to note noteID of case caseID. Only the
// note's author may, within their scope for updating the case: a case or
// note outside it is ENOTFOUND. The file is sealed, audited and recorded on
// the case's timeline in one transaction. It returns EINVALID on the field
// "file" when a is not the note's author, or when the file is missing, empty,
// too large or of a type not allowed, and writes nothing then.
func (s *Service) AddAttachment(ctx context.Context, a *auth.Actor, caseID, noteID int64, f *Upload, client string) (*cases.Attachment, error) {
	now := s.Now().UTC()
	var att *cases.Attachment
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		c, err := store.FindCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Update, Target(c, access.Cases)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		n, err := s.visibleNote(ctx, tx, a, c, noteID)
		if err != nil {
			return err
		}
		if !readsGroup(a, c, n.FieldGroup) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if n.AuthorID != a.User.ID {
			return approdo.Invalid(approdo.FieldError{Field: "file", Message: "error.note.attach_not_yours"})
		}
		if f == nil {
			return approdo.Invalid(approdo.FieldError{Field: "file", Message: "error.field.required"})
		}
		file, problems := checkUpload(f)
		if len(problems) > 0 {
			return approdo.Invalid(problems...)
		}
		if err := s.attach(ctx, tx, a, n, file, now, client); err != nil {
			return err
		}
		att = &n.Attachments[len(n.Attachments)-1]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}

// attach stores a checked file on note n, audits it, and appends the
// stored attachment to n.Attachments.
func (s *Service) attach(ctx context.Context, tx *store.Tx, a *auth.Actor, n *cases.Note, f *checkedUpload, now time.Time, client string) error {
	att := &cases.Attachment{NoteID: n.ID, CaseID: n.CaseID, Name: f.name, ContentType: f.contentType, CreatedAt: now}
	if err := RecordAttachment(ctx, tx, s.Vault, att, f.content, a.User.ID); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Create, RecordType: "attachment", RecordID: strconv.FormatInt(att.ID, 10), CaseID: n.CaseID,
		Fields: []string{"attachment"}, Client: client, At: now}); err != nil {
		return err
	}
	n.Attachments = append(n.Attachments, *att)
	return nil
}

// RecordAttachment stores content as a new attachment att of its note,
// under a newly reserved id: the name and content sealed with v, the size
// and SHA-256 of the plaintext beside them. It records the attachment on
// the case's timeline as added by actorID. It checks nothing: the service
// checks the policy and the file before calling it, and the demo calls it
// with files it made itself.
func RecordAttachment(ctx context.Context, tx *store.Tx, v *vault.Vault, att *cases.Attachment, content []byte, actorID int64) error {
	id, err := store.NextAttachmentID(ctx, tx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	sealed := *att
	sealed.ID, sealed.Size, sealed.SHA256 = id, int64(len(content)), sum[:]
	if sealed.Name, err = v.SealString(att.Name, attachmentNameAAD(id)); err != nil {
		return err
	}
	sealedContent, err := v.Seal(content, attachmentContentAAD(id))
	if err != nil {
		return err
	}
	if err := store.InsertAttachment(ctx, tx, &sealed, sealedContent); err != nil {
		return err
	}
	att.ID, att.Size, att.SHA256 = id, sealed.Size, sealed.SHA256
	return store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: att.CaseID, At: att.CreatedAt, ActorID: actorID,
		Kind: cases.AttachmentAdded, RefID: id})
}

// Attachment returns attachment id of case caseID with its content, to
// those who may read the note it belongs to, and records the download. Any
// other attachment, or one of a note a may not read (by confidentiality or
// field group), is ENOTFOUND. Content whose digest no longer matches the
// one stored is an internal error, never served.
func (s *Service) Attachment(ctx context.Context, a *auth.Actor, caseID, id int64, client string) (*cases.Attachment, []byte, error) {
	var att *cases.Attachment
	var content []byte
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.readable(ctx, tx, a, caseID, referrals.Notes)
		if err != nil {
			return err
		}
		if att, err = store.FindAttachment(ctx, tx, id); err != nil {
			return err
		}
		if att.CaseID != caseID {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		n, err := s.visibleNote(ctx, tx, a, c, att.NoteID)
		if err != nil {
			return err
		}
		if !readsGroup(a, c, n.FieldGroup) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		sealed, err := store.AttachmentContent(ctx, tx, id)
		if err != nil {
			return err
		}
		if content, err = s.Vault.OpenValue(ctx, sealed, attachmentContentAAD(id)); err != nil {
			return err
		}
		if sum := sha256.Sum256(content); !bytes.Equal(sum[:], att.SHA256) {
			return fmt.Errorf("casework: attachment %d does not match its digest", id)
		}
		att.Name, err = s.Vault.OpenString(ctx, att.Name, attachmentNameAAD(id))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "attachment", RecordID: strconv.FormatInt(id, 10), CaseID: caseID,
		Fields: []string{"attachment"}, Client: client})
	if err != nil {
		return nil, nil, err
	}
	return att, content, nil
}

// attachmentNameAAD binds the sealed name of an attachment to it.
func attachmentNameAAD(id int64) []byte {
	return []byte("attachments.name_sealed:" + strconv.FormatInt(id, 10))
}

// attachmentContentAAD binds the sealed content of an attachment to it.
func attachmentContentAAD(id int64) []byte {
	return []byte("attachment_contents.content:" + strconv.FormatInt(id, 10))
}
