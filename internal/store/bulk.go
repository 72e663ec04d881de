package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"approdo/cases"
)

// rowsPerInsert is how many rows a loader writes with one statement:
// enough that the cost of running a statement is shared, few enough that
// the placeholders stay far within both databases' limits.
const rowsPerInsert = 32

// RowWriter gathers the rows of one table and writes them rowsPerInsert at
// a time with a statement of many rows, prepared once per transaction for
// each number of rows it writes. Rows not flushed when it is closed are not
// written.
type RowWriter struct {
	tx     *Tx
	insert string // the statement of one row, ending with its tuple of placeholders
	tuple  string
	stmts  map[int]*Stmt
	args   []any
	rows   int
}

// NewRowWriter returns a writer of rows in tx by insert, an INSERT of one
// row whose last parentheses hold its placeholders.
func NewRowWriter(tx *Tx, insert string) *RowWriter {
	return &RowWriter{tx: tx, insert: insert, tuple: insert[strings.LastIndex(insert, "("):], stmts: map[int]*Stmt{}}
}

// Add gathers one row, writing what is gathered once there are enough.
func (w *RowWriter) Add(ctx context.Context, args ...any) error {
	w.args = append(w.args, args...)
	w.rows++
	if w.rows < rowsPerInsert {
		return nil
	}
	return w.Flush(ctx)
}

// Flush writes the rows gathered.
func (w *RowWriter) Flush(ctx context.Context) error {
	if w.rows == 0 {
		return nil
	}
	stmt, ok := w.stmts[w.rows]
	if !ok {
		var err error
		if stmt, err = w.tx.Prepare(ctx, w.insert+strings.Repeat(", "+w.tuple, w.rows-1)); err != nil {
			return err
		}
		w.stmts[w.rows] = stmt
	}
	if _, err := stmt.Exec(ctx, w.args...); err != nil {
		return err
	}
	clear(w.args)
	w.args, w.rows = w.args[:0], 0
	return nil
}

// Close releases the statements, dropping any row not flushed.
func (w *RowWriter) Close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// NoteLoader writes many notes with their timeline events in one
// transaction, many rows to a statement, for loading data that no actor
// typed, such as a synthetic region. Notes carry ids the caller chose and are
// already sealed for them. Call Flush before the transaction commits.
type NoteLoader struct {
	notes, events *RowWriter
}

// PrepareNoteLoader returns a NoteLoader writing in tx. Close it before tx
// ends.
func PrepareNoteLoader(ctx context.Context, tx *Tx) (*NoteLoader, error) {
	return &NoteLoader{notes: NewRowWriter(tx, insertNote), events: NewRowWriter(tx, insertEvent)}, nil
}

// Add stores note n under its id, and the note_added event on its case's
// timeline.
func (l *NoteLoader) Add(ctx context.Context, n *cases.Note) error {
	if n.ID == 0 {
		return errors.New("store: a loaded note needs its id")
	}
	if err := l.notes.Add(ctx, noteArgs(n)...); err != nil {
		return fmt.Errorf("store: unable to load the notes up to case %d: %w", n.CaseID, err)
	}
	args, err := eventArgs(&cases.Event{CaseID: n.CaseID, At: n.CreatedAt.UTC(), ActorID: n.AuthorID, Kind: cases.NoteAdded,
		RefID: n.ID})
	if err != nil {
		return err
	}
	if err := l.events.Add(ctx, args...); err != nil {
		return fmt.Errorf("store: unable to load the events up to case %d: %w", n.CaseID, err)
	}
	return nil
}

// Flush writes the notes and events still gathered.
func (l *NoteLoader) Flush(ctx context.Context) error {
	if err := l.notes.Flush(ctx); err != nil {
		return fmt.Errorf("store: unable to load notes: %w", err)
	}
	if err := l.events.Flush(ctx); err != nil {
		return fmt.Errorf("store: unable to load events: %w", err)
	}
	return nil
}

// Close releases the statements.
func (l *NoteLoader) Close() {
	l.notes.Close()
	l.events.Close()
}

// CaseLoader writes many new cases with their teams and persons in one
// transaction, for loading data that no actor typed. Cases and persons
// carry ids the caller chose; persons are already sealed and indexed for
// their ids. Cases and persons are written at once, so that what is recorded
// about a case next finds it; their teams, blind indexes, links and events
// are gathered and written many to a statement. Call Flush before the
// transaction commits.
type CaseLoader struct {
	cases, persons                  *Stmt
	team, keys, casePersons, events *RowWriter
}

// PrepareCaseLoader prepares the statements of a CaseLoader in tx. Close it
// before tx ends.
func PrepareCaseLoader(ctx context.Context, tx *Tx) (*CaseLoader, error) {
	l := CaseLoader{
		team:        NewRowWriter(tx, `INSERT INTO case_team (case_id, user_id, role, added_at, added_by, owner_org_id) VALUES (?, ?, ?, ?, ?, ?)`),
		keys:        NewRowWriter(tx, `INSERT INTO `+keysTable(tx)+` (key, person_id) VALUES (?, ?)`),
		casePersons: NewRowWriter(tx, `INSERT INTO case_persons (case_id, person_id, role, added_at) VALUES (?, ?, ?, ?)`),
		events:      NewRowWriter(tx, insertEvent),
	}
	var err error
	if l.cases, err = tx.Prepare(ctx, `INSERT INTO cases (id, code, kind, programme_id, area_id, owner_org_id, case_worker_id, stage, risk,
		concerns, closure_reason, outcomes, opened_at, closed_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`); err != nil {
		return nil, err
	}
	if l.persons, err = tx.Prepare(ctx, `INSERT INTO persons (id, sex, birth_precision, birth_min, birth_max, nationality, languages,
		arrived_on, unaccompanied, keys_version, identity_sealed, judicial_sealed, religion_sealed,
		sexual_life_sealed, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`); err != nil {
		l.Close()
		return nil, err
	}
	return &l, nil
}

// AddCase stores c, with its id and code, its team and its opening event.
// Its last change is UpdatedAt when set, when it opened otherwise.
func (l *CaseLoader) AddCase(ctx context.Context, c *cases.Case) error {
	if c.UpdatedAt.Before(c.OpenedAt) {
		c.UpdatedAt = c.OpenedAt
	}
	c.Version = 1
	if _, err := l.cases.Exec(ctx, c.ID, c.Code, string(c.Kind), nullID(c.ProgrammeID), c.AreaID, c.OwnerOrgID,
		nullID(c.CaseWorkerID), string(c.Stage), string(c.Risk), strings.Join(c.Concerns, ","), c.ClosureReason,
		strings.Join(c.Outcomes, ","), c.OpenedAt, timeOrNull(c.ClosedAt), c.UpdatedAt); err != nil {
		return fmt.Errorf("store: unable to load case %d: %w", c.ID, err)
	}
	for _, m := range c.Team {
		if err := l.team.Add(ctx, c.ID, m.UserID, string(m.Role), m.AddedAt, nullID(m.AddedBy), c.OwnerOrgID); err != nil {
			return fmt.Errorf("store: unable to load the teams up to case %d: %w", c.ID, err)
		}
	}
	return l.event(ctx, &cases.Event{CaseID: c.ID, At: c.OpenedAt, ActorID: c.CaseWorkerID, Kind: cases.Opened,
		Detail: map[string]string{"kind": string(c.Kind)}})
}

// AddPerson stores person p, with its id, sealed groups and blind indexes
// made by the rules of keysVersion, as a person of case caseID with role,
// and the event of its addition.
func (l *CaseLoader) AddPerson(ctx context.Context, caseID int64, role cases.CaseRole, p *cases.Person, seals PersonSeals,
	keys [][]byte, keysVersion int, at time.Time) error {
	if _, err := l.persons.Exec(ctx, p.ID, string(p.Sex), string(p.Birth.Precision), nullDate(p.Birth.Min),
		nullDate(p.Birth.Max), p.Nationality, strings.Join(p.Languages, ","), nullDate(p.ArrivedOn), p.Unaccompanied,
		keysVersion, seals.Identity, seals.Judicial, seals.Religion, seals.SexualLife, at, at); err != nil {
		return fmt.Errorf("store: unable to load person %d: %w", p.ID, err)
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		if err := l.keys.Add(ctx, k, p.ID); err != nil {
			return fmt.Errorf("store: unable to index the persons up to %d: %w", p.ID, err)
		}
	}
	if err := l.casePersons.Add(ctx, caseID, p.ID, string(role), at); err != nil {
		return fmt.Errorf("store: unable to add the persons up to %d to their cases: %w", p.ID, err)
	}
	return l.event(ctx, &cases.Event{CaseID: caseID, At: at, Kind: cases.PersonAdded, RefID: p.ID,
		Detail: map[string]string{"role": string(role)}})
}

func (l *CaseLoader) event(ctx context.Context, e *cases.Event) error {
	args, err := eventArgs(e)
	if err != nil {
		return err
	}
	if err := l.events.Add(ctx, args...); err != nil {
		return fmt.Errorf("store: unable to load the events up to case %d: %w", e.CaseID, err)
	}
	return nil
}

// Flush writes the rows still gathered.
func (l *CaseLoader) Flush(ctx context.Context) error {
	for _, w := range []*RowWriter{l.team, l.keys, l.casePersons, l.events} {
		if err := w.Flush(ctx); err != nil {
			return fmt.Errorf("store: unable to load cases: %w", err)
		}
	}
	return nil
}

// Close releases the statements.
func (l *CaseLoader) Close() {
	for _, s := range []*Stmt{l.cases, l.persons} {
		if s != nil {
			s.Close()
		}
	}
	for _, w := range []*RowWriter{l.team, l.keys, l.casePersons, l.events} {
		w.Close()
	}
}

// keysTable is where a CaseLoader writes the blind indexes of persons: on
// SQLite a table without an index, which FinishCaseLoad sorts into
// person_keys once, since inserting keys in random order into a large index
// costs a read and a write of a page each.
func keysTable(tx *Tx) string {
	if tx.Dialect() == SQLite {
		return "bulk_person_keys"
	}
	return "person_keys"
}

// loadedTables are the tables a case load fills. Their secondary indexes
// are set aside during the load and built once at its end: sorting what a
// table holds costs much less than finding the place of every row in every
// index as it comes. The indexes that enforce a constraint stay.
var loadedTables = []string{"cases", "case_team", "persons", "case_persons", "person_keys",
	"case_notes", "case_events", "audit_log"}

// StartCaseLoad prepares a database for CaseLoaders: it sets aside, in the
// table bulk_set_aside, the secondary indexes of the tables loaded and
// drops them. On SQLite it also creates the table the loaded keys go to
// first, and sets aside the triggers of cases and case_team, which keep
// case_counts and case_team.owner_org_id: the loader writes the owner
// itself, the counts are counted at the end, and a statement that may fire
// a trigger would keep a journal of its own. Call FinishCaseLoad after the
// last loader, which puts them back.
func StartCaseLoad(ctx context.Context, tx *Tx) error {
	args := make([]any, len(loadedTables))
	for i, t := range loadedTables {
		args[i] = t
	}
	in := `(?` + strings.Repeat(", ?", len(args)-1) + `)`
	setAside := `CREATE TABLE bulk_set_aside AS SELECT type, name, sql FROM sqlite_master
		WHERE (type = 'trigger' AND tbl_name IN ('cases', 'case_team'))
		OR (type = 'index' AND sql IS NOT NULL AND tbl_name IN ` + in + `)`
	if tx.Dialect() == Postgres {
		setAside = `CREATE TABLE bulk_set_aside AS SELECT 'index' AS type, c.relname::text AS name,
			pg_get_indexdef(i.indexrelid) AS sql
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
			WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN ` + in + `
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`
	} else if _, err := tx.Exec(ctx, `CREATE TABLE bulk_person_keys (key BLOB NOT NULL, person_id INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: unable to start a load: %w", err)
	}
	if _, err := tx.Exec(ctx, setAside, args...); err != nil {
		return fmt.Errorf("store: unable to start a load: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT type, name FROM bulk_set_aside`)
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, `DROP `+strings.ToUpper(kind)+` "`+name+`"`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range drops {
		if _, err := tx.Exec(ctx, d); err != nil {
			return fmt.Errorf("store: unable to start a load: %s: %w", d, err)
		}
	}
	return nil
}

// FinishCaseLoad ends a load begun by StartCaseLoad. On SQLite it moves
// the loaded keys into person_keys in order and counts the cases into
// case_counts, sorting on every core; on PostgreSQL it moves the identity
// sequences of tables past the ids the loaders gave, so that rows added
// later get new ones. On both it builds the indexes, and puts back the
// triggers, set aside.
func FinishCaseLoad(ctx context.Context, tx *Tx, tables ...string) error {
	var prepare []string
	if tx.Dialect() == SQLite {
		prepare = []string{
			// Sorts run on every core: SQLite's sorter hands what it has
			// gathered to a worker thread each time it holds as much as the
			// page cache, and merges their runs from temporary files. It
			// uses no worker when temporary data stays in memory.
			`PRAGMA temp_store = FILE`,
			fmt.Sprintf(`PRAGMA threads = %d`, min(runtime.NumCPU(), 8)),
			`PRAGMA cache_size = -65536`,
			`INSERT INTO person_keys (key, person_id) SELECT key, person_id FROM bulk_person_keys ORDER BY key, person_id`,
			`DROP TABLE bulk_person_keys`,
			`DELETE FROM case_counts`,
			`INSERT INTO case_counts (owner_org_id, area_id, programme_id, stage, kind, n)
				SELECT owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind, COUNT(*) FROM cases
				GROUP BY owner_org_id, area_id, COALESCE(programme_id, 0), stage, kind`,
		}
	} else {
		// An index is built by sorting in this much memory, in runs
		// merged from temporary files past it.
		prepare = []string{`SET LOCAL maintenance_work_mem = '256MB'`}
		for _, t := range tables {
			prepare = append(prepare,
				`SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM `+t+`), false)`)
		}
	}
	for _, q := range prepare {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("store: unable to index the loaded cases: %w", err)
		}
	}
	schema, err := queryColumn[string](ctx, tx, `SELECT sql FROM bulk_set_aside`)
	if err != nil {
		return err
	}
	for _, q := range schema {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("store: unable to index the loaded cases: %w", err)
		}
	}
	_, err = tx.Exec(ctx, `DROP TABLE bulk_set_aside`)
	return err
}

// Settle readies a database just loaded for the queries of a server, as
// the maintenance of a database in use would have. On PostgreSQL it
// vacuums and analyzes it: the planner plans by the statistics autovacuum
// keeps, which a database just loaded does not hold yet, and an index-only
// scan reads the table itself wherever the vacuum has not marked its pages
// visible to every transaction. SQLite plans without statistics.
func (db *DB) Settle(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	// VACUUM runs outside any transaction.
	if _, err := db.write.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("store: unable to vacuum and analyze the database: %w", db.wrap(err))
	}
	return nil
}

// NextIDs returns one past the highest id of each of tables, for a loader
// that gives rows their ids. tables are names from the code, never input.
func NextIDs(ctx context.Context, tx *Tx, tables ...string) ([]int64, error) {
	out := make([]int64, len(tables))
	for i, t := range tables {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM `+t).Scan(&out[i]); err != nil {
			return nil, fmt.Errorf("store: unable to read the ids of %s: %w", t, err)
		}
	}
	return out, nil
}

// OpenBulk opens dsn for a bulk load by one writer, as Open does. On SQLite
// it opens a single connection for reads and writes that keeps no journal,
// does not wait for the disk, keeps more pages and its temporary data in
// memory, and leaves foreign keys unchecked, since the loader writes them
// consistent. A failed or interrupted load leaves the file unusable: the
// load starts again on a new one. Close switches the file back to the
// write-ahead log the server uses.
func OpenBulk(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgresURL(dsn) {
		return openPostgres(ctx, dsn)
	}
	path := strings.TrimPrefix(dsn, "file:")
	const pragmas = "_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-524288)" +
		"&_pragma=foreign_keys(0)&_pragma=temp_store(MEMORY)&_pragma=busy_timeout(10000)&_time_format=sqlite&_txlock=immediate"
	pool, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		return nil, unavailable(path, err)
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	pool.SetConnMaxIdleTime(0)
	pool.SetConnMaxLifetime(0)
	db := &DB{Dialect: SQLite, write: pool, read: pool, where: path, bulk: true}
	if err := db.pingPool(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// MarkBenchRegion records in db that it holds a synthetic region written by
// approdo bench generate, with its number of persons and seed: only such a
// database may be served with the load harness's endpoints.
func MarkBenchRegion(ctx context.Context, tx *Tx, persons int, seed int64, at time.Time) error {
	if _, err := tx.Exec(ctx, `CREATE TABLE bench_region (persons BIGINT NOT NULL, seed BIGINT NOT NULL,
		generated_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("store: unable to mark the region: %w", err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO bench_region (persons, seed, generated_at) VALUES (?, ?, ?)`, persons, seed, at)
	return err
}

// IsBenchRegion reports whether db holds a region approdo bench generate
// wrote (MarkBenchRegion).
func IsBenchRegion(ctx context.Context, db *DB) (bool, error) {
	var n int
	err := db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM bench_region`).Scan(&n)
	})
	if IsMissingTable(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return n > 0, nil
}

// IsMissingTable reports whether err says, in either dialect, that a table
// does not exist.
func IsMissingTable(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "no such table") || strings.Contains(msg, "does not exist")
}
