package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"approdo"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one embedded schema change, numbered from 1 upwards; the same
// number names the same change in both dialects.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations of dialect d, in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list migrations of %s: %w", d, err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("store: migration file %s is not named NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: unable to read migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migrations of %s skip or repeat version %d", d, i+1)
		}
	}
	return ms, nil
}

// LatestVersion returns the schema version this build brings.
func (db *DB) LatestVersion() int {
	ms, _ := Migrations(db.Dialect)
	return len(ms)
}

// SchemaVersion returns the highest migration recorded in the database, or 0
// for an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		v, err = schemaVersion(ctx, tx)
		return err
	})
	return v, err
}

func schemaVersion(ctx context.Context, tx *Tx) (int, error) {
	var exists bool
	q := `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`
	if tx.Dialect() == Postgres {
		q = `SELECT EXISTS (SELECT 1 FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name = 'schema_migrations')`
	}
	if err := tx.QueryRow(ctx, q).Scan(&exists); err != nil {
		return 0, fmt.Errorf("store: unable to look for the migrations table: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: unable to read the schema version: %w", err)
	}
	return v, nil
}

// Migrate applies every embedded migration the database lacks, each in its
// own transaction together with its record in schema_migrations, and returns
// how many it applied. A database whose schema is newer than this build is
// refused with an EINVALID error and left untouched. On PostgreSQL an advisory
// lock keeps two instances starting together from migrating twice.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	ms, err := Migrations(db.Dialect)
	if err != nil {
		return 0, err
	}
	if db.Dialect == Postgres {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return 0, db.wrap(err)
		}
		defer conn.Close()
		const lockKey = 0x417070726f646f // "Approdo"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
			return 0, db.wrap(err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey)
	}
	var current int
	if err := db.Write(ctx, func(tx *Tx) error {
		var err error
		current, err = schemaVersion(ctx, tx)
		return err
	}); err != nil {
		return 0, err
	}
	if current > len(ms) {
		return 0, approdo.Errorf(approdo.EINVALID, "error.database_newer", db.where, current, len(ms))
	}
	applied := 0
	for _, m := range ms[current:] {
		err := db.Write(ctx, func(tx *Tx) error {
			// Migration text goes to the driver as written: it is DDL, not a
			// query with "?" placeholders to rebind.
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("store: migration %04d_%s failed: %w", m.Version, m.Name, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UTC())
			return err
		})
		if err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}
