package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// HashCost is the work argon2id does for a new password hash: memory in
// KiB and passes over it.
type HashCost struct {
	MemoryKiB uint32
	Passes    uint32
}

// DefaultHashCost follows the second recommended option of RFC 9106 (64 MiB
// of memory, three passes).
var DefaultHashCost = HashCost{MemoryKiB: 64 * 1024, Passes: 3}

// TestHashCost is a small cost for test suites that sign in hundreds of
// times; it must never be used outside tests.
var TestHashCost = HashCost{MemoryKiB: 1024, Passes: 1}

// hashCost is the cost of new hashes. Verifying always uses the cost written
// in the hash itself.
var hashCost atomic.Pointer[HashCost]

func init() { hashCost.Store(&DefaultHashCost) }

// SetHashCost changes the cost of the password hashes made from now on.
// Test suites call it with TestHashCost; a deployment never needs it.
func SetHashCost(c HashCost) {
	hashCost.Store(&c)
	dummy.Store(nil)
}

// One lane per request, so that a burst of logins cannot take every core.
const (
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashing admits as many argon2id computations at once as there are cores:
// each runs on one core and holds its memory (64 MiB at the default cost),
// so more at once would finish no sooner and only hold more memory. A burst
// of sign-ins queues here instead of growing the server by 64 MiB a
// sign-in.
var hashing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// argonKey is argon2.IDKey, run when hashing admits it.
func argonKey(password, salt []byte, passes, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(password, salt, passes, memoryKiB, threads, keyLen)
}

// HashPassword returns the argon2id hash of password in the PHC string
// format, with a random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: unable to make a salt: %w", err)
	}
	c := hashCost.Load()
	key := argonKey([]byte(password), salt, c.Passes, c.MemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB, c.Passes,
		argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches hash, a PHC string made by
// HashPassword (with any parameters). A malformed hash never matches.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argonKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummy holds the hash verified against when a username is unknown, so that
// a failed login takes as long whether or not the account exists. It is made
// on first use, at the current cost.
var dummy atomic.Pointer[string]

// dummyHash returns the hash for unknown usernames.
func dummyHash() string {
	if h := dummy.Load(); h != nil {
		return *h
	}
	h, _ := HashPassword("approdo-no-such-user")
	dummy.Store(&h)
	return h
}
