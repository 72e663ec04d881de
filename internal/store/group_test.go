package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// TestWritesAskedTogetherKeepTheirOwnOutcomes sends many writes at once, a
// third of which fail and one of which panics: on SQLite they share
// transactions, yet each failed write leaves nothing and every other one is
// there.
func TestWritesAskedTogetherKeepTheirOwnOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `CREATE TABLE grouped (n INTEGER NOT NULL)`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		refused := errors.New("refused")
		const writers = 150
		var wg sync.WaitGroup
		errs := make([]error, writers)
		panics := make([]any, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { panics[i] = recover() }()
				errs[i] = db.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(ctx, `INSERT INTO grouped (n) VALUES (?)`, i); err != nil {
						return err
					}
					switch {
					case i == 7:
						panic(fmt.Sprintf("write %d", i))
					case i%3 == 0:
						return refused
					}
					return nil
				})
			}()
		}
		wg.Wait()
		want := 0
		for i := range writers {
			switch {
			case i == 7:
				if panics[i] != "write 7" {
					t.Errorf("write 7 panicked with %v, want its own panic", panics[i])
				}
			case i%3 == 0:
				if !errors.Is(errs[i], refused) {
					t.Errorf("write %d: %v, want its own error", i, errs[i])
				}
			default:
				want++
				if errs[i] != nil || panics[i] != nil {
					t.Errorf("write %d: %v %v", i, errs[i], panics[i])
				}
			}
		}
		var got, failed int
		if err := db.Read(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM grouped`).Scan(&got); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM grouped WHERE n % 3 = 0 OR n = 7`).Scan(&failed)
		}); err != nil {
			t.Fatal(err)
		}
		if got != want || failed != 0 {
			t.Errorf("%d rows of which %d from failed writes, want %d and none", got, failed, want)
		}
	})
}
