// Package vault encrypts Approdo's sensitive fields and attachments at rest.
//
// Values are sealed with AES-256-GCM under data keys. Data keys live in the
// database, each wrapped (itself encrypted with AES-256-GCM) by a master key
// that never enters the database: it is read from APPRODO_MASTER_KEY or from
// the file master.key in the data folder. A copy of the database alone
// therefore reveals no sealed value. Every sealed value starts with the id of
// its data key, so keys can be rotated without re-encrypting old values.
package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"approdo"
	"approdo/internal/store"
)

// MasterKey is a 256-bit key that wraps data keys.
type MasterKey struct{ key []byte }

// GenerateMasterKey returns a new random master key.
func GenerateMasterKey() (MasterKey, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return MasterKey{}, fmt.Errorf("vault: unable to make a master key: %w", err)
	}
	return MasterKey{key: k}, nil
}

// ParseMasterKey reads a master key written by MasterKey.String: 32 bytes in
// standard base64.
func ParseMasterKey(s string) (MasterKey, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != 32 {
		return MasterKey{}, approdo.Errorf(approdo.EINVALID, "error.master_key_malformed")
	}
	return MasterKey{key: k}, nil
}

// String returns the key in standard base64, for its file.
func (m MasterKey) String() string { return base64.StdEncoding.EncodeToString(m.key) }

// ID names the key without revealing it: the first eight bytes of a SHA-256
// of it, in hex.
func (m MasterKey) ID() string {
	h := sha256.Sum256(append([]byte("approdo master key id\x00"), m.key...))
	return hex.EncodeToString(h[:8])
}

func (m MasterKey) aead() (cipher.AEAD, error) { return newAEAD(m.key) }

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return cipher.NewGCM(block)
}

// sealed layout: version (1 byte) | data key id (8 bytes) | nonce | ciphertext.
const (
	formatVersion = 1
	headerLen     = 1 + 8
)

// Vault seals and opens values with the database's data keys.
type Vault struct {
	db      *store.DB
	masters *Keyring

	mu     sync.RWMutex
	keys   map[int64]cipher.AEAD
	active int64  // the data key new values are sealed with
	loaded int64  // the highest key id read
	index  []byte // the key of blind indexes
}

// Open loads every data key of db, unwrapping each with the master key that
// wrapped it. For a database with no data key yet it creates the first one,
// and the master key file too when the keyring has none. It returns an
// EUNAVAILABLE error when a data key was wrapped by a master key the keyring
// does not hold.
func Open(ctx context.Context, db *store.DB, masters *Keyring) (*Vault, error) {
	v := &Vault{db: db, masters: masters, keys: map[int64]cipher.AEAD{}}
	if err := v.Refresh(ctx); err != nil {
		return nil, err
	}
	for _, need := range []struct {
		purpose string
		missing bool
	}{{purposeData, v.active == 0}, {purposeIndex, v.index == nil}} {
		if !need.missing {
			continue
		}
		if _, err := masters.EnsureMasterKey(); err != nil {
			return nil, err
		}
		if _, err := v.addKey(ctx, need.purpose); err != nil {
			return nil, err
		}
		if err := v.Refresh(ctx); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// The purposes of a data key.
const (
	purposeData  = "data"  // seals values; the newest one seals new values
	purposeIndex = "index" // keys blind indexes; the first one is used forever
)

// addKey creates a new key for purpose, wrapped by the current master key,
// and returns its id.
func (v *Vault) addKey(ctx context.Context, purpose string) (int64, error) {
	master, err := v.masters.Current()
	if err != nil {
		return 0, err
	}
	var id int64
	err = v.db.Write(ctx, func(tx *store.Tx) error {
		id, err = insertKey(ctx, tx, master, purpose)
		return err
	})
	return id, err
}

func insertKey(ctx context.Context, tx *store.Tx, master MasterKey, purpose string) (int64, error) {
	dk := make([]byte, 32)
	if _, err := rand.Read(dk); err != nil {
		return 0, fmt.Errorf("vault: unable to make a data key: %w", err)
	}
	wrapped, err := wrap(master, dk)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO data_keys (wrapped, master_id, purpose, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		wrapped, master.ID(), purpose, time.Now().UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("vault: unable to store a data key: %w", err)
	}
	return id, nil
}

// Refresh loads data keys added since the vault was opened, for example by
// "approdo keys rotate" or another instance, and makes the newest one the
// key for new values.
func (v *Vault) Refresh(ctx context.Context) error {
	type row struct {
		id       int64
		wrapped  []byte
		masterID string
		purpose  string
	}
	var rows []row
	v.mu.RLock()
	known := v.loaded
	v.mu.RUnlock()
	err := v.db.Read(ctx, func(tx *store.Tx) error {
		rs, err := tx.Query(ctx, `SELECT id, wrapped, master_id, purpose FROM data_keys WHERE id > ? ORDER BY id`, known)
		if err != nil {
			return fmt.Errorf("vault: unable to read data keys: %w", err)
		}
		defer rs.Close()
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.wrapped, &r.masterID, &r.purpose); err != nil {
				return fmt.Errorf("vault: unable to read a data key: %w", err)
			}
			rows = append(rows, r)
		}
		return rs.Err()
	})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, r := range rows {
		master, err := v.masters.Find(r.masterID)
		if err != nil {
			return err
		}
		dk, err := unwrap(master, r.wrapped)
		if err != nil {
			return err
		}
		v.loaded = max(v.loaded, r.id)
		if r.purpose == purposeIndex {
			if v.index == nil {
				v.index = dk
			}
			continue
		}
		aead, err := newAEAD(dk)
		if err != nil {
			return err
		}
		v.keys[r.id] = aead
		if r.id > v.active {
			v.active = r.id
		}
	}
	return nil
}

// Seal encrypts plaintext under the newest data key. aad binds the value to
// where it is stored (table, column and record), so that a sealed value
// copied to another record does not open.
func (v *Vault) Seal(plaintext, aad []byte) ([]byte, error) {
	v.mu.RLock()
	id, aead := v.active, v.keys[v.active]
	v.mu.RUnlock()
	if aead == nil {
		return nil, errors.New("vault: no data key")
	}
	out := make([]byte, headerLen, headerLen+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = formatVersion
	binary.BigEndian.PutUint64(out[1:headerLen], uint64(id))
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault: unable to make a nonce: %w", err)
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// OpenValue decrypts a value made by Seal with the same aad. It loads data
// keys it does not know yet, and returns an error when the value was altered,
// moved or sealed under a key the vault cannot unwrap.
func (v *Vault) OpenValue(ctx context.Context, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < headerLen || sealed[0] != formatVersion {
		return nil, errors.New("vault: not a sealed value")
	}
	id := int64(binary.BigEndian.Uint64(sealed[1:headerLen]))
	v.mu.RLock()
	aead := v.keys[id]
	v.mu.RUnlock()
	if aead == nil {
		if err := v.Refresh(ctx); err != nil {
			return nil, err
		}
		v.mu.RLock()
		aead = v.keys[id]
		v.mu.RUnlock()
		if aead == nil {
			return nil, fmt.Errorf("vault: unknown data key %d", id)
		}
	}
	rest := sealed[headerLen:]
	if len(rest) < aead.NonceSize() {
		return nil, errors.New("vault: sealed value too short")
	}
	pt, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], aad)
	if err != nil {
		return nil, fmt.Errorf("vault: sealed value does not open: %w", err)
	}
	return pt, nil
}

// BlindIndex returns a keyed hash of value for the given purpose (such as
// "name" or "codice_fiscale"): equal inputs give equal outputs, so a column
// of them can be searched, but without the index key, which never leaves the
// vault, the database alone cannot tell what they stand for. It is 16 bytes.
func (v *Vault) BlindIndex(purpose, value string) []byte {
	v.mu.RLock()
	key := v.index
	v.mu.RUnlock()
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)[:16]
}

// SealString seals s and returns it as base64 text, for text columns.
func (v *Vault) SealString(s string, aad []byte) (string, error) {
	b, err := v.Seal([]byte(s), aad)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// OpenString opens a value made by SealString. An empty string stays empty.
func (v *Vault) OpenString(ctx context.Context, s string, aad []byte) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", errors.New("vault: sealed text is not base64")
	}
	pt, err := v.OpenValue(ctx, b, aad)
	return string(pt), err
}

// ActiveKeyID returns the id of the data key new values are sealed with.
func (v *Vault) ActiveKeyID() int64 {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.active
}

func wrap(master MasterKey, dk []byte) ([]byte, error) {
	aead, err := master.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault: unable to make a nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, dk, []byte("approdo data key")), nil
}

func unwrap(master MasterKey, wrapped []byte) ([]byte, error) {
	aead, err := master.aead()
	if err != nil {
		return nil, err
	}
	if len(wrapped) < aead.NonceSize() {
		return nil, errors.New("vault: wrapped key too short")
	}
	dk, err := aead.Open(nil, wrapped[:aead.NonceSize()], wrapped[aead.NonceSize():], []byte("approdo data key"))
	if err != nil {
		return nil, approdo.Errorf(approdo.EUNAVAILABLE, "error.master_key_wrong", master.ID())
	}
	return dk, nil
}
