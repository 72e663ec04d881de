// Package store opens Approdo's database, SQLite or PostgreSQL, applies the
// embedded migrations and runs transactions. SQL is written by hand with "?"
// placeholders; for PostgreSQL they are rewritten to "$1", "$2" once per query
// text. Statements that differ between the dialects branch on DB.Dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"approdo"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

// The two dialects Approdo speaks.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Approdo database. On SQLite it holds one connection for
// writes and a pool of read-only connections; on PostgreSQL both are the same
// pool.
type DB struct {
	Dialect Dialect
	write   *sql.DB
	read    *sql.DB
	where   string // the file or host, for messages; never a password
	bulk    bool   // opened by OpenBulk: Close restores the write-ahead log

	// readStmts and writeStmts keep the statements of SQLite's pools
	// prepared; nil on PostgreSQL, whose driver keeps its own.
	readStmts, writeStmts *stmtCache
	// group shares SQLite's write transactions among the writes asked at
	// the same moment; nil on PostgreSQL and for a bulk load.
	group *committer

	rebound sync.Map // query text -> PostgreSQL query text
}

// IsPostgresURL reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn, a SQLite file path or a postgres://
// URL, and checks that it is reachable. It does not migrate; call Migrate.
// It returns an EUNAVAILABLE error with a one-line explanation when the
// database cannot be opened or reached.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, approdo.Errorf(approdo.EINVALID, "store: no database given")
	}
	if IsPostgresURL(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	where := redactURL(dsn)
	pool, err := sql.Open("pgx", withoutJIT(dsn))
	if err != nil {
		return nil, unavailable(where, err)
	}
	pool.SetMaxOpenConns(max(8, 4*runtime.GOMAXPROCS(0)))
	pool.SetMaxIdleConns(max(8, 4*runtime.GOMAXPROCS(0)))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{Dialect: Postgres, write: pool, read: pool, where: where}
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// withoutJIT turns PostgreSQL's JIT compilation off for Approdo's
// connections, unless dsn sets it. JIT compiles a plan whose estimated cost
// is high before running it, which here costs more than 100 ms, while
// Approdo's queries run in a few milliseconds: on a region, a name search
// that runs in 17 ms was compiled for 148 ms. A parameter the driver does not
// know is sent to the server as a setting of the connection.
func withoutJIT(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Has("jit") {
		return dsn
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == ":memory:" || strings.Contains(path, "mode=memory") {
		return nil, approdo.Errorf(approdo.EINVALID, "store: an in-memory SQLite database cannot be shared by the reader and writer pools; give a file path")
	}
	path, extra, _ := strings.Cut(strings.TrimPrefix(path, "file:"), "?")
	if extra != "" {
		extra = "&" + extra
	}
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, unavailable(path, fmt.Errorf("folder %s does not exist", dir))
		}
	}
	// synchronous(FULL): a commit returns once the write-ahead log is on
	// the disk, so that nothing a user was told is saved is lost to a
	// power cut. Reads' audit entries share commits (audit.Recorder).
	const pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(FULL)&_time_format=sqlite"
	// temp_store(MEMORY) on the writer: a change of a group commit runs
	// in a savepoint, whose journal of the pages it changes would
	// otherwise spill to a temporary file past a few pages, a write to
	// the disk for each page.
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=temp_store(MEMORY)&_txlock=immediate"+extra)
	if err != nil {
		return nil, unavailable(path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	db := &DB{Dialect: SQLite, write: write, where: path}
	// The writer opens (and if need be creates) the file and switches it to
	// WAL before any reader connects.
	if err := db.pingPool(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)"+extra)
	if err != nil {
		write.Close()
		return nil, unavailable(path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(0)
	db.read = read
	if err := db.pingPool(ctx, read); err != nil {
		db.Close()
		return nil, err
	}
	db.readStmts, db.writeStmts = newStmtCache(read), newStmtCache(write)
	db.group = newCommitter(db)
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	db.readStmts.close()
	db.writeStmts.close()
	var err error
	if db.bulk {
		_, err = db.write.Exec(`PRAGMA journal_mode = WAL`)
	}
	err = errors.Join(err, db.write.Close())
	if db.read != nil && db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Where names the database for messages: the SQLite file or the PostgreSQL
// host and database, without credentials.
func (db *DB) Where() string { return db.where }

// Ping checks that the database answers a query. It returns an EUNAVAILABLE
// error when it does not.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pingPool(ctx, db.write); err != nil {
		return err
	}
	if db.read != db.write {
		return db.pingPool(ctx, db.read)
	}
	return nil
}

func (db *DB) pingPool(ctx context.Context, pool *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var one int
	if err := pool.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable(db.where, err)
	}
	return nil
}

func unavailable(where string, err error) error {
	msg := err.Error()
	// pgx and SQLite both wrap long chains; the first line says enough.
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &approdo.Error{Code: approdo.EUNAVAILABLE, Message: "error.database_unavailable",
		Args: []any{where, msg}}
}

// redactURL returns the host and database of a PostgreSQL URL without its
// user information or parameters.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return "postgres://" + u.Host + u.Path
}

// Rebind rewrites the "?" placeholders of query into the numbered form of the
// database's dialect. Question marks inside quoted strings are left alone.
func (db *DB) Rebind(query string) string {
	if db.Dialect != Postgres {
		return query
	}
	if q, ok := db.rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	q := b.String()
	db.rebound.Store(query, q)
	return q
}

// queryIDs runs a query whose rows are one integer id each and returns them.
func queryIDs(ctx context.Context, tx *Tx, query string, args ...any) ([]int64, error) {
	return queryColumn[int64](ctx, tx, query, args...)
}

// queryColumn runs a query whose rows are one value each and returns them.
func queryColumn[T any](ctx context.Context, tx *Tx, query string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to run %q: %w", query, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: unable to read a row of %q: %w", query, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
