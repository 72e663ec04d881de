package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"approdo"
)

// Tx is a transaction whose methods take "?" placeholders in either dialect.
// Service methods open one with DB.Write or DB.Read and pass it to small
// helpers, so that several steps and their audit entry commit together.
type Tx struct {
	tx    *sql.Tx
	db    *DB
	stmts *stmtCache // the prepared statements of the transaction's pool, or nil
}

// Dialect returns the dialect of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.db.Dialect }

// DB returns the database of the transaction, for keeping what is read from
// it apart from what is read from another.
func (tx *Tx) DB() *DB { return tx.db }

// Exec runs a statement that returns no rows.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	query = tx.db.Rebind(query)
	if s := tx.stmts.get(query); s != nil {
		res, err = tx.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	} else {
		res, err = tx.tx.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return nil, tx.db.wrap(err)
	}
	return res, nil
}

// Query runs a statement that returns rows.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = tx.db.Rebind(query)
	if s := tx.stmts.get(query); s != nil {
		return tx.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, query, args...)
}

// QueryRow runs a statement that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = tx.db.Rebind(query)
	if s := tx.stmts.get(query); s != nil {
		return tx.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// Stmt is a statement prepared in a transaction, for a statement run many
// times in it, as a bulk load does.
type Stmt struct {
	stmt *sql.Stmt
	db   *DB
}

// Prepare prepares query in the transaction. Close the statement before the
// transaction ends.
func (tx *Tx) Prepare(ctx context.Context, query string) (*Stmt, error) {
	s, err := tx.tx.PrepareContext(ctx, tx.db.Rebind(query))
	if err != nil {
		return nil, tx.db.wrap(err)
	}
	return &Stmt{stmt: s, db: tx.db}, nil
}

// Exec runs the prepared statement with args.
func (s *Stmt) Exec(ctx context.Context, args ...any) (sql.Result, error) {
	res, err := s.stmt.ExecContext(ctx, args...)
	if err != nil {
		return nil, s.db.wrap(err)
	}
	return res, nil
}

// Close releases the prepared statement.
func (s *Stmt) Close() error { return s.stmt.Close() }

// Write runs fn in a read-write transaction and commits when fn returns nil.
// On SQLite the transaction holds the single writer connection from its first
// statement (BEGIN IMMEDIATE), so writers never deadlock on a lock upgrade.
//
// On SQLite, writes asked at the same moment share one transaction, each in
// a savepoint of its own, and one sync of the log (see committer): a write
// that fails changes nothing, and those that succeed return once committed.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	if db.group != nil {
		return db.group.write(ctx, fn)
	}
	return db.run(ctx, db.write, db.writeStmts, false, fn)
}

// WriteAlone runs fn in a write transaction of its own, never shared with
// other writes: one commit, and on SQLite one sync of the log, for fn
// alone. The load harness measures the raw commit rate with it; everything
// else uses Write.
func (db *DB) WriteAlone(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, db.writeStmts, false, fn)
}

// Read runs fn in a read-only transaction, on the reader pool, so that every
// query in fn sees one consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, db.readStmts, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, stmts *stmtCache, readOnly bool, fn func(*Tx) error) (err error) {
	// SQLite's reader connections are already query_only; asking database/sql
	// for a read-only transaction there would be refused by the driver.
	opts := &sql.TxOptions{ReadOnly: readOnly && db.Dialect == Postgres}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return db.wrap(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, db: db, stmts: stmts}); err != nil {
		return db.classify(err)
	}
	if err = sqlTx.Commit(); err != nil {
		return db.wrap(err)
	}
	return nil
}

// wrap classifies a driver error and prefixes the rest with "store".
func (db *DB) wrap(err error) error {
	if c := db.classify(err); c != err || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return c
	}
	return fmt.Errorf("store: %w", err)
}

// classify turns low-level failures that a user can act on (a full disk, a
// read-only file) into application errors and returns any other error as it
// is.
func (db *DB) classify(err error) error {
	var appErr *approdo.Error
	if errors.As(err, &appErr) {
		return err
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "readonly database") || strings.Contains(msg, "read-only transaction") ||
		strings.Contains(msg, "read-only file system"):
		return approdo.Errorf(approdo.EUNAVAILABLE, "error.database_readonly", db.where)
	case strings.Contains(msg, "disk is full") || strings.Contains(msg, "no space left") ||
		strings.Contains(msg, "could not extend file"):
		return approdo.Errorf(approdo.EUNAVAILABLE, "error.database_full", db.where)
	}
	return err
}

// IsUniqueViolation reports whether err is a unique-constraint violation in
// either dialect.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
