package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"approdo"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/internal/vault"
)

// GenerateConfig says what region Generate writes and where.
type GenerateConfig struct {
	DB      string // a SQLite file path or a postgres:// URL
	Data    string // the folder of the vault's master key, as for "approdo serve"
	Persons int    // how many persons the region holds
	Seed    int64  // the same seed writes the same region
	Force   bool   // replace a database that already holds data
}

// casesPerBatch is how many cases one transaction writes: large enough
// that commits cost little, small enough that memory stays flat.
const casesPerBatch = 5000

// generator holds what drawing the region needs between cases.
type generator struct {
	reg    *region
	now    time.Time
	orgOf  map[int64]int64 // user -> organisation
	recent []drawnPerson   // persons a later duplicate may repeat
	// lastNote, lastCase and lastPerson are the ids given last, by the
	// goroutine that seals cases: the loaders write rows under the ids
	// given, which sealed bodies name.
	lastNote, lastCase, lastPerson int64
}

// Generate writes a synthetic region of cfg.Persons persons into the
// database cfg.DB, which must be empty unless cfg.Force is set, and reports
// its progress and figures on w. The same seed gives the same region. It
// returns an EINVALID error, and changes nothing, when the number of persons
// is not positive or the database already holds data without cfg.Force.
func Generate(ctx context.Context, cfg GenerateConfig, w io.Writer) error {
	if cfg.Persons <= 0 {
		return approdo.Invalid(approdo.FieldError{Field: "persons", Message: "error.bench.persons"})
	}
	if cfg.DB == "" {
		return approdo.Invalid(approdo.FieldError{Field: "db", Message: "error.field.required"})
	}
	if cfg.Data == "" {
		cfg.Data = "approdo-data"
	}
	started := time.Now()
	// The load allocates much and keeps little: collecting garbage less
	// often leaves more of the processor to the database, and memory stays
	// flat all the same.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	db, err := openEmpty(ctx, cfg.DB, cfg.Force)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return fmt.Errorf("bench: cannot create the data folder %s: %w", cfg.Data, err)
	}
	v, err := vault.Open(ctx, db, vault.NewKeyring(cfg.Data, os.Getenv("APPRODO_MASTER_KEY")))
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	g := &generator{now: time.Now().UTC().Truncate(time.Second), orgOf: map[int64]int64{},
		recent: make([]drawnPerson, 0, 5000)}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		g.reg, err = buildNetwork(ctx, tx, v, cfg.Persons, hash, g.now)
		return err
	}); err != nil {
		return err
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		return store.StartCaseLoad(ctx, tx)
	}); err != nil {
		return err
	}
	if err := db.Read(ctx, func(tx *store.Tx) error {
		next, err := store.NextIDs(ctx, tx, "cases", "persons", "case_notes")
		if err != nil {
			return err
		}
		g.lastCase, g.lastPerson, g.lastNote = next[0]-1, next[1]-1, next[2]-1
		rows, err := tx.Query(ctx, `SELECT id, organisation_id FROM users`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u, o int64
			if err := rows.Scan(&u, &o); err != nil {
				return err
			}
			g.orgOf[u] = o
		}
		return rows.Err()
	}); err != nil {
		return err
	}
	fmt.Fprintf(w, "network: %d areas, %d operators\n", len(g.reg.areas), g.reg.operators)

	// One goroutine draws and seals the cases while this one writes them:
	// on two cores, each keeps one busy. The channel bounds how far ahead
	// the drawing runs, so memory stays flat.
	drawCtx, stopDrawing := context.WithCancel(ctx)
	defer stopDrawing()
	sealed := make(chan *sealedCase, 512)
	var drawErr error
	go func() {
		defer close(sealed)
		r := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x417070726f646f))
		for drawn := 0; drawn < cfg.Persons; {
			d := g.drawCase(r, float64(drawn)/float64(cfg.Persons))
			if len(d.persons) > cfg.Persons-drawn {
				d.persons = d.persons[:cfg.Persons-drawn]
			}
			sc, err := g.sealCase(v, r, &d)
			if err != nil {
				drawErr = err
				return
			}
			drawn += len(d.persons)
			select {
			case sealed <- sc:
			case <-drawCtx.Done():
				return
			}
		}
	}()
	written, lastReport := 0, time.Now()
	for more := true; more; {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			// The batch's statements are not cancelled one by one: the
			// SQLite driver would watch each for cancellation with a
			// goroutine of its own. The loop stops between batches.
			ctx := context.WithoutCancel(ctx)
			b := &batch{tx: tx}
			var err error
			if b.cases, err = store.PrepareCaseLoader(ctx, tx); err != nil {
				return err
			}
			defer b.cases.Close()
			if b.notes, err = store.PrepareNoteLoader(ctx, tx); err != nil {
				return err
			}
			defer b.notes.Close()
			for range casesPerBatch {
				sc, ok := <-sealed
				if !ok {
					more = false
					break
				}
				if err := g.writeCase(ctx, b, v, sc); err != nil {
					return err
				}
				written += len(sc.persons)
			}
			if err := b.cases.Flush(ctx); err != nil {
				return err
			}
			if err := b.notes.Flush(ctx); err != nil {
				return err
			}
			return audit.AppendAll(ctx, tx, b.audit)
		})
		if err != nil {
			return err
		}
		if time.Since(lastReport) > 10*time.Second {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Fprintf(w, "%d persons in %s (heap %d MB)\n", written, time.Since(started).Round(time.Second),
				m.HeapAlloc>>20)
			lastReport = time.Now()
		}
	}
	if drawErr != nil {
		return drawErr
	}
	if err := ctx.Err(); err != nil {
		return err // the drawing stopped early: the region is not whole
	}
	fmt.Fprintf(w, "%d persons loaded in %s; indexing them\n", written, time.Since(started).Round(time.Second))
	if err := db.Write(ctx, func(tx *store.Tx) error {
		if err := store.FinishCaseLoad(ctx, tx, "cases", "persons", "case_notes"); err != nil {
			return err
		}
		return store.MarkBenchRegion(ctx, tx, cfg.Persons, cfg.Seed, g.now)
	}); err != nil {
		return err
	}
	if err := db.Settle(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d persons written in %s\n", written, time.Since(started).Round(time.Second))
	return nil
}

// openEmpty opens dsn and checks that it holds no data: no database yet, or
// one whose network is empty. With force, a SQLite file is removed first and
// a PostgreSQL database has its tables dropped.
func openEmpty(ctx context.Context, dsn string, force bool) (*store.DB, error) {
	if force && !store.IsPostgresURL(dsn) {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(dsn + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("bench: cannot remove %s: %w", dsn+suffix, err)
			}
		}
	}
	db, err := store.OpenBulk(ctx, dsn)
	if err != nil {
		return nil, err
	}
	var users int
	err = db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&users)
	})
	switch {
	case store.IsMissingTable(err):
		return db, nil // a new database
	case err != nil:
		db.Close()
		return nil, err
	case users == 0:
		return db, nil
	case !force:
		db.Close()
		return nil, approdo.Errorf(approdo.EINVALID, "error.bench.not_empty", db.Where())
	}
	// Only a PostgreSQL database reaches here with force.
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`)
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
