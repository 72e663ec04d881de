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
	tx *sql.Tx
	db *DB
}

// Dialect returns the dialect of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.db.Dialect }

// Exec runs a statement that returns no rows.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.db.Rebind(query), args...)
	if err != nil {
		return nil, tx.db.wrap(err)
	}
	return res, nil
}

// Query runs a statement that returns rows.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.Rebind(query), args...)
}

// QueryRow runs a statement that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.Rebind(query), args...)
}

// Write runs fn in a read-write transaction and commits when fn returns nil.
// On SQLite the transaction holds the single writer connection from its first
// statement (BEGIN IMMEDIATE), so writers never deadlock on a lock upgrade.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, false, fn)
}

// Read runs fn in a read-only transaction, on the reader pool, so that every
// query in fn sees one consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
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
	if err = fn(&Tx{tx: sqlTx, db: db}); err != nil {
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
