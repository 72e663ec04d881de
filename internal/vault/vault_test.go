package vault_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"approdo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/internal/vault"
)

func openVault(t *testing.T, db *store.DB, dir string) *vault.Vault {
	t.Helper()
	k := vault.NewKeyring(dir, "")
	if _, err := k.EnsureMasterKey(); err != nil {
		t.Fatal(err)
	}
	v, err := vault.Open(context.Background(), db, k)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSealAndOpen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v := openVault(t, db, t.TempDir())
		aad := []byte("persons.health_notes#42")
		sealed, err := v.Seal([]byte("asma bronchiale"), aad)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte("asma")) {
			t.Fatal("the sealed value holds the plaintext")
		}
		got, err := v.OpenValue(ctx, sealed, aad)
		if err != nil || string(got) != "asma bronchiale" {
			t.Fatalf("open: %q %v", got, err)
		}
		if _, err := v.OpenValue(ctx, sealed, []byte("persons.health_notes#43")); err == nil {
			t.Fatal("a value moved to another record opens")
		}
		tampered := bytes.Clone(sealed)
		tampered[len(tampered)-1] ^= 1
		if _, err := v.OpenValue(ctx, tampered, aad); err == nil {
			t.Fatal("a tampered value opens")
		}
		s, err := v.SealString("Tigrinya", aad)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := v.OpenString(ctx, s, aad); err != nil || back != "Tigrinya" {
			t.Fatalf("string round trip: %q %v", back, err)
		}
	})
}

func TestTheDatabaseAloneDoesNotOpenValues(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	v := openVault(t, db, t.TempDir())
	sealed, err := v.Seal([]byte("secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A thief with the database and a different master key gets nothing.
	other := vault.NewKeyring(t.TempDir(), "")
	if _, err := other.EnsureMasterKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Open(ctx, db, other); approdo.ErrorCode(err) != approdo.EUNAVAILABLE {
		t.Fatalf("open with the wrong master key: %v", err)
	}
	// And without any master key the vault does not open either.
	if _, err := vault.Open(ctx, db, vault.NewKeyring(t.TempDir(), "")); approdo.ErrorCode(err) != approdo.EUNAVAILABLE {
		t.Fatalf("open with no master key: %v", err)
	}
	_ = sealed
}

func TestRotateWhileRunning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		running := openVault(t, db, dir)
		before, err := running.Seal([]byte("before rotation"), nil)
		if err != nil {
			t.Fatal(err)
		}
		oldID, newID, n, err := vault.Rotate(ctx, db, vault.NewKeyring(dir, ""))
		if err != nil {
			t.Fatal(err)
		}
		if oldID == newID || n != 2 { // the data key and the index key
			t.Fatalf("rotate: %s -> %s, %d re-wrapped", oldID, newID, n)
		}
		if _, err := os.Stat(filepath.Join(dir, "master-"+oldID+".retired")); err != nil {
			t.Fatalf("the old master key was not kept: %v", err)
		}
		// The running vault still opens old values and, after a refresh,
		// seals new ones under the fresh data key.
		if got, err := running.OpenValue(ctx, before, nil); err != nil || string(got) != "before rotation" {
			t.Fatalf("old value after rotation: %q %v", got, err)
		}
		oldKey := running.ActiveKeyID()
		if err := running.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if running.ActiveKeyID() == oldKey {
			t.Fatal("the running vault did not pick up the new data key")
		}
		after, err := running.Seal([]byte("after rotation"), nil)
		if err != nil {
			t.Fatal(err)
		}
		// A restarted process with only the new master.key opens both.
		os.Remove(filepath.Join(dir, "master-"+oldID+".retired"))
		restarted := openVault(t, db, dir)
		for want, sealed := range map[string][]byte{"before rotation": before, "after rotation": after} {
			if got, err := restarted.OpenValue(ctx, sealed, nil); err != nil || string(got) != want {
				t.Fatalf("after restart: %q %v", got, err)
			}
		}
	})
}

func TestEnvironmentMasterKey(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	m, err := vault.GenerateMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	k := vault.NewKeyring(t.TempDir(), m.String())
	if created, err := k.EnsureMasterKey(); err != nil || created {
		t.Fatalf("a key file was written although the key is in the environment: %v %v", created, err)
	}
	v, err := vault.Open(ctx, db, k)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := v.Seal([]byte("x"), nil)
	again, err := vault.Open(ctx, db, vault.NewKeyring(t.TempDir(), m.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.OpenValue(ctx, sealed, nil); err != nil || string(got) != "x" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := vault.ParseMasterKey("too short"); approdo.ErrorCode(err) != approdo.EINVALID {
		t.Fatalf("a malformed key parses: %v", err)
	}
	if _, _, _, err := vault.Rotate(ctx, db, k); approdo.ErrorCode(err) != approdo.EINVALID {
		t.Fatalf("rotating an environment key: %v", err)
	}
}

func TestInterruptedRotationIsFinished(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	dir := t.TempDir()
	openVault(t, db, dir)
	// A stale master.key.next that wraps nothing is simply removed.
	stale, _ := vault.GenerateMasterKey()
	os.WriteFile(filepath.Join(dir, "master.key.next"), []byte(stale.String()), 0o600)
	if _, _, _, err := vault.Rotate(ctx, db, vault.NewKeyring(dir, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key.next")); !os.IsNotExist(err) {
		t.Fatal("master.key.next is left behind")
	}
	openVault(t, db, dir)
}

func TestBlindIndexIsStableAndKeyed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v := openVault(t, db, dir)
		a, b := v.BlindIndex("name", "mhmd"), v.BlindIndex("name", "mhmd")
		if len(a) != 16 || !bytes.Equal(a, b) {
			t.Fatalf("the index of one value differs: %x %x", a, b)
		}
		if bytes.Equal(a, v.BlindIndex("cf", "mhmd")) || bytes.Equal(a, v.BlindIndex("name", "ahmd")) {
			t.Fatal("different purposes or values share an index")
		}
		// Rotating the master key keeps every index valid.
		if _, _, _, err := vault.Rotate(ctx, db, vault.NewKeyring(dir, "")); err != nil {
			t.Fatal(err)
		}
		restarted := openVault(t, db, dir)
		if !bytes.Equal(a, restarted.BlindIndex("name", "mhmd")) {
			t.Fatal("the index changed with the master key")
		}
		// Another database has another index key.
		other := openVault(t, storetest.Open(t, db.Dialect), t.TempDir())
		if bytes.Equal(a, other.BlindIndex("name", "mhmd")) {
			t.Fatal("two databases share an index key")
		}
	})
}
