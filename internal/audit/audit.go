// Package audit keeps Approdo's tamper-evident audit log: an append-only
// record of every read of a case-level record, every change (naming the
// fields, never their values), every export, sign-in, failed sign-in,
// permission change and break-glass access.
//
// Entries are numbered without gaps and chained: each entry's hash is the
// SHA-256 of the previous entry's hash and the entry itself, so that editing,
// removing or reordering any entry breaks the chain, which Verify detects.
// An entry is appended in the same transaction as the change it records.
package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"approdo/internal/store"
)

// Action names what an audit entry records.
type Action string

// The actions the audit log records.
const (
	Login            Action = "login"
	LoginFailed      Action = "login_failed"
	LoginLocked      Action = "login_locked"
	Logout           Action = "logout"
	LogoutEverywhere Action = "logout_everywhere"
	Read             Action = "read"
	Create           Action = "create"
	Update           Action = "update"
	Delete           Action = "delete"
	Export           Action = "export"
	PermissionChange Action = "permission_change"
	BreakGlass       Action = "break_glass"
	SecondFactor     Action = "second_factor"
	TokenCreate      Action = "token_create"
	TokenRevoke      Action = "token_revoke"
	KeyRotate        Action = "key_rotate"
	// Invite records an invitation issued to a user; InvitationAccept, the
	// user choosing their password with it.
	Invite           Action = "invite"
	InvitationAccept Action = "invitation_accept"
	Deactivate       Action = "deactivate"
	Reactivate       Action = "reactivate"
)

// Entry is one line of the audit log. Reason is the actor's own words where
// an action needs them (break-glass); it is stored as given, so callers seal
// anything sensitive first.
type Entry struct {
	Seq        int64
	At         time.Time
	ActorID    int64 // 0 for Approdo itself
	ActorOrgID int64
	Action     Action
	RecordType string
	RecordID   string
	CaseID     int64
	Fields     []string
	Reason     string
	Client     string
	PrevHash   []byte
	Hash       []byte
}

// genesis is the "previous hash" of the first entry.
var genesis = make([]byte, sha256.Size)

// lockKey serialises appends across PostgreSQL connections and instances.
const lockKey = 0x4175646974 // "Audit"

// Append adds e to the log inside tx, numbering, timestamping and chaining
// it. Call it in the transaction of the change it records, so that both
// commit or neither does.
func Append(ctx context.Context, tx *store.Tx, e *Entry) error {
	seq, prev, err := head(ctx, tx)
	if err != nil {
		return err
	}
	e.chain(seq, prev)
	if _, err := tx.Exec(ctx, insertEntry, e.args()...); err != nil {
		return fmt.Errorf("audit: unable to append entry %d: %w", e.Seq, err)
	}
	return nil
}

// AppendAll adds entries to the log inside tx, in their order, as Append
// would one after the other, but reading the end of the log once and
// writing many entries to a statement: for a batch of reads recorded
// together and for loading a synthetic history.
func AppendAll(ctx context.Context, tx *store.Tx, entries []*Entry) error {
	if len(entries) == 0 {
		return nil
	}
	seq, prev, err := head(ctx, tx)
	if err != nil {
		return err
	}
	w := store.NewRowWriter(tx, insertEntry)
	defer w.Close()
	for _, e := range entries {
		e.chain(seq, prev)
		seq, prev = e.Seq, e.Hash
		if err := w.Add(ctx, e.args()...); err != nil {
			return fmt.Errorf("audit: unable to append entries up to %d: %w", e.Seq, err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		return fmt.Errorf("audit: unable to append entries up to %d: %w", seq, err)
	}
	return nil
}

// head locks the log for tx on PostgreSQL and returns the number and hash
// of its last entry (0 and the genesis hash for an empty log).
func head(ctx context.Context, tx *store.Tx) (int64, []byte, error) {
	if tx.Dialect() == store.Postgres {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, lockKey); err != nil {
			return 0, nil, fmt.Errorf("audit: unable to lock the log: %w", err)
		}
	}
	var seq int64
	prev := genesis
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("audit: unable to read the end of the log: %w", err)
	}
	return seq, prev, nil
}

// chain numbers, timestamps and hashes e as the entry after seq, whose hash
// is prev.
func (e *Entry) chain(seq int64, prev []byte) {
	e.Seq = seq + 1
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.PrevHash = prev
	e.Hash = e.hash()
}

const insertEntry = `INSERT INTO audit_log (seq, at, actor_id, actor_org_id, action, record_type, record_id,
	case_id, fields, reason, client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// args returns the values of insertEntry for e.
func (e *Entry) args() []any {
	return []any{e.Seq, e.At, e.ActorID, e.ActorOrgID, string(e.Action), e.RecordType, e.RecordID, e.CaseID,
		strings.Join(e.Fields, ","), e.Reason, e.Client, e.PrevHash, e.Hash}
}

// hash returns the SHA-256 of the previous hash and a canonical encoding of
// the entry: every field in a fixed order, strings prefixed by their length.
func (e *Entry) hash() []byte {
	h := sha256.New()
	h.Write(e.PrevHash)
	var n [8]byte
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	num(e.Seq)
	num(e.At.UnixMicro())
	num(e.ActorID)
	num(e.ActorOrgID)
	str(string(e.Action))
	str(e.RecordType)
	str(e.RecordID)
	num(e.CaseID)
	str(strings.Join(e.Fields, ","))
	str(e.Reason)
	str(e.Client)
	return h.Sum(nil)
}

const entryColumns = `seq, at, actor_id, actor_org_id, action, record_type, record_id, case_id, fields, reason,
	client, prev_hash, hash`

func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var action, fields string
	err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorOrgID, &action, &e.RecordType, &e.RecordID, &e.CaseID,
		&fields, &e.Reason, &e.Client, &e.PrevHash, &e.Hash)
	e.Action = Action(action)
	if fields != "" {
		e.Fields = strings.Split(fields, ",")
	}
	e.At = e.At.UTC()
	return e, err
}

// Problem describes where the chain breaks.
type Problem struct {
	Seq    int64
	Reason string
}

// Report is the outcome of Verify.
type Report struct {
	Entries  int64
	HeadSeq  int64
	HeadHash []byte
	Problems []Problem
}

// OK reports whether the chain is whole.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Anchor is a copy of the log's head kept outside the database, in the data
// folder, so that removing the newest entries, which leaves a shorter but
// whole chain, is detected too.
type Anchor struct {
	Seq  int64
	Hash []byte
}

// Verify reads the whole log in order, in pages so that memory stays flat,
// and checks the numbering, every hash and every link, and, when anchor is
// not nil, that the entry it names is still there unchanged. It reports each
// broken entry; an error means the log could not be read at all.
func Verify(ctx context.Context, db *store.DB, anchor *Anchor) (*Report, error) {
	r := &Report{}
	prev := genesis
	var last int64
	const page = 5000
	for {
		var batch []Entry
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT `+entryColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, last, page)
			if err != nil {
				return fmt.Errorf("audit: unable to read the log: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				e, err := scanEntry(rows)
				if err != nil {
					return fmt.Errorf("audit: unable to read an entry: %w", err)
				}
				batch = append(batch, e)
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
		for i := range batch {
			e := &batch[i]
			switch {
			case e.Seq != last+1:
				r.Problems = append(r.Problems, Problem{e.Seq, fmt.Sprintf("entries %d to %d are missing", last+1, e.Seq-1)})
			case !bytes.Equal(e.PrevHash, prev):
				r.Problems = append(r.Problems, Problem{e.Seq, "does not follow the entry before it"})
			}
			if want := e.hash(); !bytes.Equal(want, e.Hash) {
				r.Problems = append(r.Problems, Problem{e.Seq, "was changed after it was written"})
			}
			if anchor != nil && e.Seq == anchor.Seq && !bytes.Equal(e.Hash, anchor.Hash) {
				r.Problems = append(r.Problems, Problem{e.Seq, "differs from the anchor kept outside the database"})
			}
			prev, last = e.Hash, e.Seq
			r.Entries++
		}
		if len(batch) < page {
			break
		}
	}
	if anchor != nil && last < anchor.Seq {
		r.Problems = append(r.Problems, Problem{anchor.Seq, fmt.Sprintf("entries after %d were removed", last)})
	}
	r.HeadSeq, r.HeadHash = last, prev
	return r, nil
}

// Head returns the number and hash of the newest entry, or 0 and the
// genesis hash for an empty log.
func Head(ctx context.Context, db *store.DB) (int64, []byte, error) {
	seq, hash := int64(0), genesis
	err := db.Read(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("audit: unable to read the head of the log: %w", err)
	}
	return seq, hash, nil
}
