package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"approdo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
)

// newTokenOwner stores an organisation and a user to own tokens.
func newTokenOwner(t *testing.T, db *store.DB, username string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		o := network.Organisation{Code: "ORG-" + username, Name: "Servizio " + username, Kind: network.Kind("municipal_social_service")}
		if err := store.InsertOrganisation(ctx, tx, &o); err != nil {
			return err
		}
		u := network.User{Username: username, DisplayName: username, OrganisationID: o.ID, Active: true}
		if err := store.InsertUser(ctx, tx, &u, ""); err != nil {
			return err
		}
		id = u.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAPITokensRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		owner := newTokenOwner(t, db, "owner")
		other := newTokenOwner(t, db, "other")
		created := time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)
		tok := store.APIToken{UserID: owner, Name: "Esportazione mensile", Prefix: "apd_abcdef",
			Hash: bytes.Repeat([]byte{7}, 32), CreatedAt: created, ExpiresAt: created.Add(90 * 24 * time.Hour)}
		write := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, fn) }
		if err := write(func(tx *store.Tx) error { return store.InsertAPIToken(ctx, tx, &tok) }); err != nil {
			t.Fatal(err)
		}
		if tok.ID == 0 {
			t.Fatal("no id")
		}
		// A second token with the same prefix is a conflict, so that the
		// caller draws another.
		dup := tok
		dup.UserID = other
		if err := write(func(tx *store.Tx) error { return store.InsertAPIToken(ctx, tx, &dup) }); approdo.ErrorCode(err) != approdo.ECONFLICT {
			t.Fatalf("same prefix: %v, want ECONFLICT", err)
		}
		second := store.APIToken{UserID: owner, Name: "Secondo", Prefix: "apd_zzzzzz", Hash: []byte{1},
			CreatedAt: created.Add(time.Hour), ExpiresAt: created.Add(2 * time.Hour)}
		if err := write(func(tx *store.Tx) error { return store.InsertAPIToken(ctx, tx, &second) }); err != nil {
			t.Fatal(err)
		}

		var got *store.APIToken
		var list, others []store.APIToken
		if err := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			if got, err = store.FindAPITokenByPrefix(ctx, tx, "apd_abcdef"); err != nil {
				return err
			}
			if list, err = store.ListUserAPITokens(ctx, tx, owner); err != nil {
				return err
			}
			others, err = store.ListUserAPITokens(ctx, tx, other)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got.ID != tok.ID || got.UserID != owner || got.Name != tok.Name || !bytes.Equal(got.Hash, tok.Hash) ||
			!got.CreatedAt.Equal(created) || !got.ExpiresAt.Equal(tok.ExpiresAt) || !got.LastUsedAt.IsZero() || !got.RevokedAt.IsZero() {
			t.Fatalf("read back %+v, wrote %+v", got, tok)
		}
		if len(list) != 2 || list[0].ID != second.ID || list[1].ID != tok.ID || len(others) != 0 {
			t.Fatalf("lists: owner %+v, other %+v", list, others)
		}
		if err := db.Read(ctx, func(tx *store.Tx) error {
			_, err := store.FindAPITokenByPrefix(ctx, tx, "apd_nothin")
			return err
		}); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("unknown prefix: %v", err)
		}

		// Uses are recorded at most once per interval.
		used := created.Add(10 * time.Minute)
		for i, at := range []time.Time{used, used.Add(30 * time.Second), used.Add(2 * time.Minute)} {
			if err := write(func(tx *store.Tx) error { return store.TouchAPIToken(ctx, tx, tok.ID, at, time.Minute) }); err != nil {
				t.Fatal(err)
			}
			want := []time.Time{used, used, used.Add(2 * time.Minute)}[i]
			if err := db.Read(ctx, func(tx *store.Tx) error {
				var err error
				got, err = store.FindAPIToken(ctx, tx, tok.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if !got.LastUsedAt.Equal(want) {
				t.Fatalf("touch %d: last used %v, want %v", i, got.LastUsedAt, want)
			}
		}

		revoked := used.Add(time.Hour)
		for i, want := range []bool{true, false} {
			var changed bool
			if err := write(func(tx *store.Tx) error {
				var err error
				changed, err = store.RevokeAPIToken(ctx, tx, tok.ID, revoked.Add(time.Duration(i)*time.Hour))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if changed != want {
				t.Fatalf("revoke %d: changed %v, want %v", i, changed, want)
			}
		}
		if err := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			got, err = store.FindAPIToken(ctx, tx, tok.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !got.RevokedAt.Equal(revoked) || got.State(revoked) != store.TokenRevoked {
			t.Fatalf("revoked at %v (state %s), want %v", got.RevokedAt, got.State(revoked), revoked)
		}
		if s := second.State(second.ExpiresAt); s != store.TokenExpired {
			t.Fatalf("a token at its expiry is %s", s)
		}
		if s := second.State(second.ExpiresAt.Add(-time.Nanosecond)); s != store.TokenActive {
			t.Fatalf("a token before its expiry is %s", s)
		}
	})
}
