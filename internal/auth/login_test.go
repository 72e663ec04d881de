package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/internal/auth"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

// loginWorld is the demo network with a session service on a clock the
// test moves and a small throttle, so that few (slow) password checks make
// a lock.
type loginWorld struct {
	t        *testing.T
	db       *store.DB
	sessions *auth.Sessions
	now      time.Time
}

func newLoginWorld(t *testing.T, db *store.DB, th auth.Throttle) *loginWorld {
	t.Helper()
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	w := &loginWorld{t: t, db: db, sessions: auth.NewSessions(db, auth.NewRoleBook(db)),
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w.sessions.Now = func() time.Time { return w.now }
	w.sessions.Throttle = th
	w.sessions.SecondFactorOptional = true
	return w
}

// try signs in and returns the error code, "" for success.
func (w *loginWorld) try(username, password, client string) string {
	w.t.Helper()
	_, err := w.sessions.Login(context.Background(), auth.Attempt{Username: username, Password: password, Client: client})
	if code := approdo.ErrorCode(err); code != "" && code != approdo.EUNAUTHORIZED && code != approdo.ETOOMANY {
		w.t.Fatalf("login %s: %v", username, err)
	}
	return approdo.ErrorCode(err)
}

// actions returns the audit log's actions in order, as "action:actor".
func (w *loginWorld) actions() []string {
	w.t.Helper()
	ctx := context.Background()
	var out []string
	err := w.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT action, actor_id, record_id, fields, reason FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var action, record, fields, reason string
			var actor int64
			if err := rows.Scan(&action, &actor, &record, &fields, &reason); err != nil {
				return err
			}
			for _, secret := range []string{"nessuno.davvero", "operatore", "wrong-password", demo.Password} {
				if strings.Contains(record+fields+reason, secret) {
					w.t.Errorf("an audit entry holds %q: %s %s %s", secret, record, fields, reason)
				}
			}
			if actor == 0 {
				out = append(out, action+":nobody")
			} else {
				out = append(out, action+":user")
			}
		}
		return rows.Err()
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

func TestFailedLoginsLockTheAccountForAWhile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newLoginWorld(t, db, auth.Throttle{AccountLimit: 3, AddressLimit: 100, Window: 15 * time.Minute, Lockout: 15 * time.Minute})
		const from = "192.0.2.10"
		// Two failures, then a quiet spell longer than the window: the count
		// starts again.
		for range 2 {
			if got := w.try("operatore", "wrong-password", from); got != approdo.EUNAUTHORIZED {
				t.Fatalf("wrong password: %q", got)
			}
		}
		w.now = w.now.Add(16 * time.Minute)
		for i := range 2 {
			if got := w.try("operatore", "wrong-password", from); got != approdo.EUNAUTHORIZED {
				t.Fatalf("failure %d after the window: %q, want no lock yet", i+1, got)
			}
		}
		// The third failure within the window locks the account.
		_, err := w.sessions.Login(context.Background(), auth.Attempt{Username: "operatore", Password: "wrong-password", Client: from})
		if approdo.ErrorCode(err) != approdo.ETOOMANY {
			t.Fatalf("third failure: %v, want ETOOMANY", err)
		}
		if key, args := approdo.ErrorMessage(err); key != "error.login_locked" || len(args) != 1 || args[0] != 15 {
			t.Fatalf("lock message %s %v, want error.login_locked with 15 minutes", key, args)
		}
		// Locked even for the right password, from anywhere, and the
		// username's case does not open another count.
		w.now = w.now.Add(10 * time.Minute)
		if got := w.try("Operatore", demo.Password, "198.51.100.1"); got != approdo.ETOOMANY {
			t.Fatalf("right password while locked: %q, want ETOOMANY", got)
		}
		// Another account is not locked.
		if got := w.try("sanitario", demo.Password, from); got != "" {
			t.Fatalf("another account: %q", got)
		}
		// The lock ends.
		w.now = w.now.Add(6 * time.Minute)
		if got := w.try("operatore", demo.Password, from); got != "" {
			t.Fatalf("after the lock: %q", got)
		}
		// The attempt as "Operatore" names no user: usernames match exactly.
		want := []string{"login_failed:user", "login_failed:user", "login_failed:user", "login_failed:user",
			"login_failed:user", "login_locked:user", "login_locked:nobody", "login:user", "login:user"}
		if got := w.actions(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("audit log:\n got %v\nwant %v", got, want)
		}
	})
}

func TestFailedLoginsLockTheAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newLoginWorld(t, db, auth.Throttle{AccountLimit: 100, AddressLimit: 3, Window: 15 * time.Minute, Lockout: 15 * time.Minute})
		// Three usernames, one unknown, from one IPv6 network: the address is
		// locked, whoever signs in from it.
		w.try("nessuno.davvero", "wrong-password", "2001:db8:1:2::10")
		w.try("operatore", "wrong-password", "2001:db8:1:2::11")
		if got := w.try("sanitario", "wrong-password", "2001:db8:1:2:aaaa::1"); got != approdo.ETOOMANY {
			t.Fatalf("third failure from the network: %q, want ETOOMANY", got)
		}
		if got := w.try("mediatore", demo.Password, "2001:db8:1:2::99"); got != approdo.ETOOMANY {
			t.Fatalf("right password from the locked network: %q, want ETOOMANY", got)
		}
		if got := w.try("mediatore", demo.Password, "2001:db8:1:3::1"); got != "" {
			t.Fatalf("from another network: %q", got)
		}
		w.now = w.now.Add(15*time.Minute + time.Second)
		if got := w.try("capofila", demo.Password, "2001:db8:1:2::10"); got != "" {
			t.Fatalf("after the lock: %q", got)
		}
		want := []string{"login_failed:nobody", "login_failed:user", "login_failed:user", "login_locked:user",
			"login_locked:user", "login:user", "login:user"}
		if got := w.actions(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("audit log:\n got %v\nwant %v", got, want)
		}
		// The counts hold neither usernames nor addresses.
		ctx := context.Background()
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT subject FROM login_throttle`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					return err
				}
				if strings.Contains(s, "2001") || strings.Contains(s, "operatore") || strings.Contains(s, "nessuno") {
					t.Errorf("a throttle count is named %q", s)
				}
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheckPasswordRefusesShortAndCommonPasswords(t *testing.T) {
	for pw, want := range map[string]string{
		"short-pass1":                  "error.field.too_short",
		"1qaz2wsx3edc":                 "error.field.password_common",
		"ADMINISTRATOR":                "error.field.password_common",
		strings.Repeat("x", 257):       "error.field.too_long",
		"una frase lunga e personale":  "",
		"correct horse battery staple": "",
	} {
		err := auth.CheckPassword(pw)
		got := ""
		if f := approdo.ErrorFields(err); len(f) == 1 {
			got = f[0].Message
		} else if err != nil {
			t.Errorf("%q: %v", pw, err)
		}
		if got != want {
			t.Errorf("CheckPassword(%q) = %q, want %q", pw, got, want)
		}
	}
}
