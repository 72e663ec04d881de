package vault

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"approdo"
	"approdo/internal/store"
)

// File names in the data folder.
const (
	masterFile = "master.key"
	nextFile   = "master.key.next"
	retiredExt = ".retired"
)

// Keyring finds master keys: the one in APPRODO_MASTER_KEY, or the file
// master.key in the data folder, plus the keys a rotation left beside it
// (master.key.next while it runs, master-ID.retired after), so that data keys
// wrapped by any of them can still be unwrapped.
type Keyring struct {
	dir string
	env string

	mu   sync.Mutex
	keys map[string]MasterKey
}

// NewKeyring returns the keyring of a data folder. A non-empty env, the value
// of APPRODO_MASTER_KEY, is the current master key and takes precedence over
// the folder's master.key.
func NewKeyring(dir, env string) *Keyring {
	return &Keyring{dir: dir, env: env, keys: map[string]MasterKey{}}
}

// EnsureMasterKey creates a new master key in DIR/master.key, readable by its
// owner only, unless the keyring takes its key from the environment or the
// file exists. It reports whether it created one.
func (k *Keyring) EnsureMasterKey() (bool, error) {
	if k.env != "" {
		return false, nil
	}
	path := filepath.Join(k.dir, masterFile)
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	m, err := GenerateMasterKey()
	if err != nil {
		return false, err
	}
	if err := writeKeyFile(path, m); err != nil {
		return false, err
	}
	return true, nil
}

// Current returns the master key new data keys are wrapped with. It returns
// an EUNAVAILABLE error when there is none.
func (k *Keyring) Current() (MasterKey, error) {
	if k.env != "" {
		m, err := ParseMasterKey(k.env)
		if err != nil {
			return MasterKey{}, err
		}
		return m, nil
	}
	m, err := readKeyFile(filepath.Join(k.dir, masterFile))
	if errors.Is(err, os.ErrNotExist) {
		return MasterKey{}, approdo.Errorf(approdo.EUNAVAILABLE, "error.master_key_missing", filepath.Join(k.dir, masterFile))
	}
	return m, err
}

// Find returns the master key with the given id, reading the folder again if
// it is not known yet. It returns an EUNAVAILABLE error when no key has that
// id.
func (k *Keyring) Find(id string) (MasterKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if m, ok := k.keys[id]; ok {
		return m, nil
	}
	if cur, err := k.Current(); err == nil {
		k.keys[cur.ID()] = cur
	}
	if k.dir != "" {
		paths, _ := filepath.Glob(filepath.Join(k.dir, "master*"))
		for _, p := range paths {
			if m, err := readKeyFile(p); err == nil {
				k.keys[m.ID()] = m
			}
		}
	}
	if m, ok := k.keys[id]; ok {
		return m, nil
	}
	return MasterKey{}, approdo.Errorf(approdo.EUNAVAILABLE, "error.master_key_unknown", id)
}

// Rotate replaces the master key of a data folder while Approdo may be
// running: it writes a new key beside the current one, re-wraps every data
// key with it and adds a fresh data key for new values, all in one
// transaction, then makes the new key current and keeps the old one as
// master-ID.retired for restoring older backups. A crash at any step leaves
// every data key unwrappable by a file in the folder. It returns the ids of
// the old and new master keys and how many data keys were re-wrapped.
func Rotate(ctx context.Context, db *store.DB, k *Keyring) (oldID, newID string, rewrapped int, err error) {
	if k.env != "" {
		return "", "", 0, approdo.Errorf(approdo.EINVALID, "error.master_key_env_rotation")
	}
	old, err := k.Current()
	if err != nil {
		return "", "", 0, err
	}
	next, err := GenerateMasterKey()
	if err != nil {
		return "", "", 0, err
	}
	nextPath := filepath.Join(k.dir, nextFile)
	if err := finishInterruptedRotation(ctx, db, k); err != nil {
		return "", "", 0, err
	}
	if err := writeKeyFile(nextPath, next); err != nil {
		return "", "", 0, err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		type row struct {
			id       int64
			wrapped  []byte
			masterID string
		}
		var rows []row
		rs, err := tx.Query(ctx, `SELECT id, wrapped, master_id FROM data_keys ORDER BY id`)
		if err != nil {
			return fmt.Errorf("vault: unable to read data keys: %w", err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.wrapped, &r.masterID); err != nil {
				rs.Close()
				return fmt.Errorf("vault: unable to read a data key: %w", err)
			}
			rows = append(rows, r)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		for _, r := range rows {
			m, err := k.Find(r.masterID)
			if err != nil {
				return err
			}
			dk, err := unwrap(m, r.wrapped)
			if err != nil {
				return err
			}
			w, err := wrap(next, dk)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE data_keys SET wrapped = ?, master_id = ? WHERE id = ?`, w, next.ID(), r.id); err != nil {
				return fmt.Errorf("vault: unable to re-wrap data key %d: %w", r.id, err)
			}
		}
		rewrapped = len(rows)
		_, err = insertKey(ctx, tx, next, purposeData)
		return err
	})
	if err != nil {
		os.Remove(nextPath)
		return "", "", 0, err
	}
	current := filepath.Join(k.dir, masterFile)
	if err := os.Rename(current, filepath.Join(k.dir, "master-"+old.ID()+retiredExt)); err != nil {
		return "", "", 0, fmt.Errorf("vault: the data keys are re-wrapped but %s could not be retired: %w", current, err)
	}
	if err := os.Rename(nextPath, current); err != nil {
		return "", "", 0, fmt.Errorf("vault: the data keys are re-wrapped but %s could not become %s: %w", nextPath, current, err)
	}
	k.mu.Lock()
	k.keys[next.ID()] = next
	k.mu.Unlock()
	return old.ID(), next.ID(), rewrapped, nil
}

// finishInterruptedRotation completes or undoes a rotation that stopped
// after writing master.key.next: when data keys are wrapped by it the
// renames are finished, otherwise the file is removed.
func finishInterruptedRotation(ctx context.Context, db *store.DB, k *Keyring) error {
	nextPath := filepath.Join(k.dir, nextFile)
	next, err := readKeyFile(nextPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	var used bool
	err = db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM data_keys WHERE master_id = ?)`, next.ID()).Scan(&used)
	})
	if err != nil {
		return err
	}
	if !used {
		return os.Remove(nextPath)
	}
	current := filepath.Join(k.dir, masterFile)
	if old, err := readKeyFile(current); err == nil {
		if err := os.Rename(current, filepath.Join(k.dir, "master-"+old.ID()+retiredExt)); err != nil {
			return err
		}
	}
	return os.Rename(nextPath, current)
}

func readKeyFile(path string) (MasterKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return MasterKey{}, err
	}
	return ParseMasterKey(string(b))
}

// writeKeyFile writes m to path, readable by its owner only, and syncs it to
// disk before returning, refusing to overwrite an existing file.
func writeKeyFile(path string, m MasterKey) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("vault: unable to create %s: %w", path, err)
	}
	if _, err := f.WriteString(m.String() + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("vault: unable to write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("vault: unable to sync %s: %w", path, err)
	}
	return f.Close()
}
