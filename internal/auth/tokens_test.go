package auth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/demo"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
)

var tokenFormat = regexp.MustCompile(`^apd_[a-z2-7]{6}_[a-z2-7]{52}$`)

// tokenWorld is a demo network with a token service on a clock the test
// moves.
type tokenWorld struct {
	t        *testing.T
	db       *store.DB
	sessions *auth.Sessions
	tokens   *auth.Tokens
	now      time.Time
}

func newTokenWorld(t *testing.T, db *store.DB) *tokenWorld {
	t.Helper()
	if _, err := demo.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	w := &tokenWorld{t: t, db: db, sessions: auth.NewSessions(db, auth.NewRoleBook(db)), now: time.Now().UTC()}
	// As in the demo, roles that ask for a second factor do not force one
	// here; TestTokensNeedTheOwnersSecondFactor turns the rule on.
	w.sessions.SecondFactorOptional = true
	w.tokens = auth.NewTokens(w.sessions)
	w.tokens.Now = func() time.Time { return w.now }
	w.sessions.Now = func() time.Time { return w.now }
	w.sessions.SecondFactorOptional = true // as in the demo: no second factor is set up here
	return w
}

// signIn returns the actor of a fresh session of a demo user.
func (w *tokenWorld) signIn(username string) *auth.Actor {
	w.t.Helper()
	res, err := w.sessions.Login(context.Background(), auth.Attempt{Username: username, Password: demo.Password})
	if err != nil || res.Actor == nil {
		w.t.Fatalf("login %s: %v", username, err)
	}
	return res.Actor
}

func (w *tokenWorld) create(a *auth.Actor, name string, days int) (*store.APIToken, string) {
	w.t.Helper()
	tok, value, err := w.tokens.Create(context.Background(), a, auth.TokenRequest{Name: name, Lifetime: time.Duration(days) * 24 * time.Hour})
	if err != nil {
		w.t.Fatalf("create: %v", err)
	}
	return tok, value
}

// lastUsed reads a token's last use from the database.
func (w *tokenWorld) lastUsed(id int64) time.Time {
	w.t.Helper()
	var tok *store.APIToken
	if err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		tok, err = store.FindAPIToken(context.Background(), tx, id)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return tok.LastUsedAt
}

func wantMessage(t *testing.T, err error, code, key string) {
	t.Helper()
	if got, _ := approdo.ErrorMessage(err); approdo.ErrorCode(err) != code || got != key {
		t.Fatalf("got %v, want %s %s", err, code, key)
	}
}

func TestTokensActAsTheirOwnerUntilRevoked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		worker := w.signIn("assistente.sociale")
		tok, value := w.create(worker, "  Esportazione mensile  ", 30)

		// The value has the documented format; only its hash and its prefix
		// are kept.
		if !tokenFormat.MatchString(value) || tok.Prefix != value[:10] || tok.Name != "Esportazione mensile" {
			t.Fatalf("token %q, prefix %q, name %q", value, tok.Prefix, tok.Name)
		}
		if sum := sha256.Sum256([]byte(value)); !bytes.Equal(tok.Hash, sum[:]) {
			t.Fatal("the stored hash is not the SHA-256 of the value")
		}
		if !tok.ExpiresAt.Equal(tok.CreatedAt.Add(30 * 24 * time.Hour)) {
			t.Fatalf("expires %v, created %v", tok.ExpiresAt, tok.CreatedAt)
		}

		// The token acts as its owner, with the owner's grants and no more.
		a, err := w.tokens.Authenticate(ctx, value)
		if err != nil {
			t.Fatal(err)
		}
		if a.User.ID != worker.User.ID || a.Organisation.ID != worker.Organisation.ID || a.Session != nil || a.Token == nil || a.Token.ID != tok.ID {
			t.Fatalf("actor %+v", a)
		}
		if !auth.Can(a, access.Read, access.Directory) || auth.Can(a, access.List, access.Users) {
			t.Fatal("the token's grants differ from its owner's")
		}
		admin := w.signIn("admin")
		_, adminValue := w.create(admin, "admin", 1)
		if a, err := w.tokens.Authenticate(ctx, adminValue); err != nil || !auth.Can(a, access.List, access.Users) {
			t.Fatalf("an administrator's token lacks their grants: %v", err)
		}

		// Its use is recorded at most once a minute.
		first := w.lastUsed(tok.ID)
		if first.IsZero() {
			t.Fatal("the first use was not recorded")
		}
		w.now = w.now.Add(30 * time.Second)
		if _, err := w.tokens.Authenticate(ctx, value); err != nil {
			t.Fatal(err)
		}
		if got := w.lastUsed(tok.ID); !got.Equal(first) {
			t.Fatalf("a use 30 s later was written: %v, first %v", got, first)
		}
		w.now = w.now.Add(time.Minute)
		if _, err := w.tokens.Authenticate(ctx, value); err != nil {
			t.Fatal(err)
		}
		if got := w.lastUsed(tok.ID); !got.After(first) {
			t.Fatalf("a use 90 s later was not written: %v", got)
		}

		// Wrong, malformed and empty values are refused alike.
		wrong := value[:11] + strings.Repeat("a", 52)
		for _, bad := range []string{wrong, "", value + "a", strings.ToUpper(value), "apd_" + value[4:10] + "-" + value[11:], tok.Prefix} {
			_, err := w.tokens.Authenticate(ctx, bad)
			wantMessage(t, err, approdo.EUNAUTHORIZED, "error.token_invalid")
		}

		// Someone else cannot see or revoke the token: it is not found.
		other := w.signIn("operatore")
		if _, err := w.tokens.Revoke(ctx, other, tok.ID); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("another user revoked the token: %v", err)
		}
		if _, err := w.tokens.Find(ctx, other, tok.ID); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("another user found the token: %v", err)
		}
		if list, err := w.tokens.List(ctx, other); err != nil || len(list) != 0 {
			t.Fatalf("another user lists %d tokens: %v", len(list), err)
		}
		if list, err := w.tokens.List(ctx, worker); err != nil || len(list) != 1 || list[0].ID != tok.ID {
			t.Fatalf("the owner lists %+v: %v", list, err)
		}

		// Revoked, it stops at once; revoking again changes nothing.
		revoked, err := w.tokens.Revoke(ctx, worker, tok.ID)
		if err != nil || revoked.RevokedAt.IsZero() {
			t.Fatalf("revoke: %v %+v", err, revoked)
		}
		_, err = w.tokens.Authenticate(ctx, value)
		wantMessage(t, err, approdo.EUNAUTHORIZED, "error.token_revoked")
		if _, err := w.tokens.Revoke(ctx, worker, tok.ID); err != nil {
			t.Fatalf("second revoke: %v", err)
		}

		// The audit log names the token by id, once for its creation and once
		// for its revocation, never by value or prefix, and its chain holds.
		entries := auditEntries(t, db)
		id := strconv.FormatInt(tok.ID, 10)
		var created, revokes int
		for _, e := range entries {
			if e.RecordType == "api_token" && e.RecordID == id {
				if e.ActorID != worker.User.ID || e.ActorOrgID != worker.Organisation.ID {
					t.Errorf("entry %d names actor %d/%d", e.Seq, e.ActorID, e.ActorOrgID)
				}
				switch e.Action {
				case audit.TokenCreate:
					created++
				case audit.TokenRevoke:
					revokes++
				}
			}
		}
		if created != 1 || revokes != 1 {
			t.Fatalf("%d creation and %d revocation entries for token %s, want 1 and 1", created, revokes, id)
		}
		assertAuditHoldsNoSecret(t, db, value, adminValue)
	})
}

func TestTokensStopWhenExpiredOrTheirOwnerIsDeactivated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		worker := w.signIn("sanitario")
		tok, value := w.create(worker, "breve", 1)
		w.now = tok.ExpiresAt.Add(-time.Second)
		if _, err := w.tokens.Authenticate(ctx, value); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		w.now = tok.ExpiresAt
		_, err := w.tokens.Authenticate(ctx, value)
		wantMessage(t, err, approdo.EUNAUTHORIZED, "error.token_expired")

		w.now = time.Now().UTC()
		_, value = w.create(worker, "lungo", 365)
		if _, err := w.tokens.Authenticate(ctx, value); err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE users SET active = ? WHERE id = ?`, false, worker.User.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, err = w.tokens.Authenticate(ctx, value)
		wantMessage(t, err, approdo.EUNAUTHORIZED, "error.token_invalid")
	})
}

func TestLogoutEverywhereRevokesTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		worker := w.signIn("capofila")
		colleague := w.signIn("mediatore")
		_, mine := w.create(worker, "uno", 30)
		second, mine2 := w.create(worker, "due", 30)
		if _, err := w.tokens.Revoke(ctx, worker, second.ID); err != nil {
			t.Fatal(err)
		}
		_, theirs := w.create(colleague, "altrui", 30)
		before := len(auditEntries(t, db))
		if err := w.sessions.LogoutEverywhere(ctx, worker.User.ID); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{mine, mine2} {
			if _, err := w.tokens.Authenticate(ctx, v); approdo.ErrorCode(err) != approdo.EUNAUTHORIZED {
				t.Fatalf("a token survived logging out everywhere: %v", err)
			}
		}
		if _, err := w.tokens.Authenticate(ctx, theirs); err != nil {
			t.Fatalf("a colleague's token stopped: %v", err)
		}
		// One revocation entry for the one token that was still active.
		added := auditEntries(t, db)[before:]
		var revokes int
		for _, e := range added {
			if e.Action == audit.TokenRevoke && e.ActorID == worker.User.ID {
				revokes++
			}
		}
		if revokes != 1 {
			t.Fatalf("%d revocation entries after logging out everywhere, want 1: %+v", revokes, added)
		}
	})
}

func TestTokenRequestsAreChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		worker := w.signIn("formazione")
		day := 24 * time.Hour
		cases := []struct {
			req    auth.TokenRequest
			fields []string
		}{
			{auth.TokenRequest{Name: "", Lifetime: 30 * day}, []string{"name"}},
			{auth.TokenRequest{Name: "   ", Lifetime: 30 * day}, []string{"name"}},
			{auth.TokenRequest{Name: strings.Repeat("è", 101), Lifetime: 30 * day}, []string{"name"}},
			{auth.TokenRequest{Name: "a\nb", Lifetime: 30 * day}, []string{"name"}},
			{auth.TokenRequest{Name: "ok", Lifetime: 0}, []string{"expires_in_days"}},
			{auth.TokenRequest{Name: "ok", Lifetime: -day}, []string{"expires_in_days"}},
			{auth.TokenRequest{Name: "ok", Lifetime: 366 * day}, []string{"expires_in_days"}},
			{auth.TokenRequest{}, []string{"name", "expires_in_days"}},
		}
		for _, c := range cases {
			_, value, err := w.tokens.Create(ctx, worker, c.req)
			var fields []string
			for _, f := range approdo.ErrorFields(err) {
				fields = append(fields, f.Field)
			}
			if approdo.ErrorCode(err) != approdo.EINVALID || strings.Join(fields, ",") != strings.Join(c.fields, ",") || value != "" {
				t.Errorf("%+v: %v (fields %v), want EINVALID on %v", c.req, err, fields, c.fields)
			}
		}
		if _, _, err := w.tokens.Create(ctx, worker, auth.TokenRequest{Name: strings.Repeat("è", 100), Lifetime: 365 * day}); err != nil {
			t.Errorf("the longest name and lifetime are refused: %v", err)
		}
		// A token cannot make another.
		_, value := w.create(worker, "primo", 30)
		a, err := w.tokens.Authenticate(ctx, value)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = w.tokens.Create(ctx, a, auth.TokenRequest{Name: "secondo", Lifetime: day})
		wantMessage(t, err, approdo.EFORBIDDEN, "error.token_needs_session")
		// Nobody signed in cannot make one either.
		if _, _, err := w.tokens.Create(ctx, nil, auth.TokenRequest{Name: "x", Lifetime: day}); approdo.ErrorCode(err) != approdo.EUNAUTHORIZED {
			t.Fatalf("anonymous create: %v", err)
		}
	})
}

func TestOperatorTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		req := auth.TokenRequest{Name: "integrazione", Lifetime: 24 * time.Hour}
		tok, value, err := w.tokens.CreateAsOperator(ctx, "osservatorio", req)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := w.tokens.Authenticate(ctx, value); err != nil || a.User.Username != "osservatorio" {
			t.Fatalf("operator's token: %v", err)
		}
		_, _, err = w.tokens.CreateAsOperator(ctx, "nessuno", req)
		wantMessage(t, err, approdo.ENOTFOUND, "error.token_unknown_user")
		if _, err := w.tokens.RevokeAsOperator(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.tokens.Authenticate(ctx, value); approdo.ErrorCode(err) != approdo.EUNAUTHORIZED {
			t.Fatalf("revoked by the operator, still works: %v", err)
		}
		if _, err := w.tokens.RevokeAsOperator(ctx, tok.ID+1000); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("unknown id: %v", err)
		}
		var operatorEntries int
		for _, e := range auditEntries(t, db) {
			if e.RecordType == "api_token" && e.ActorID == 0 {
				operatorEntries++
			}
		}
		if operatorEntries != 2 {
			t.Fatalf("%d operator entries, want 2", operatorEntries)
		}
	})
}

func TestTokensNeedTheOwnersSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newTokenWorld(t, db)
		req := auth.TokenRequest{Name: "integrazione", Lifetime: 24 * time.Hour}
		_, worker, err := w.tokens.CreateAsOperator(ctx, "assistente.sociale", req)
		if err != nil {
			t.Fatal(err)
		}
		_, mediator, err := w.tokens.CreateAsOperator(ctx, "mediatore", req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.tokens.Authenticate(ctx, worker); err != nil {
			t.Fatalf("with the rule relaxed: %v", err)
		}
		// The social worker's role asks for a second factor, which they have
		// not set up: their token stops, as their sessions would be held to
		// setting it up; the mediator's role does not ask for one.
		w.sessions.SecondFactorOptional = false
		_, err = w.tokens.Authenticate(ctx, worker)
		wantMessage(t, err, approdo.EUNAUTHORIZED, "error.token_second_factor")
		if _, err := w.tokens.Authenticate(ctx, mediator); err != nil {
			t.Fatalf("a role without a second factor: %v", err)
		}
	})
}

// auditEntries returns the whole audit log, after checking its chain.
func auditEntries(t *testing.T, db *store.DB) []audit.Entry {
	t.Helper()
	ctx := context.Background()
	report, err := audit.Verify(ctx, db, nil)
	if err != nil || !report.OK() {
		t.Fatalf("audit chain: %v %+v", err, report)
	}
	var out []audit.Entry
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT seq, actor_id, actor_org_id, action, record_type, record_id FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e audit.Entry
			var action string
			if err := rows.Scan(&e.Seq, &e.ActorID, &e.ActorOrgID, &action, &e.RecordType, &e.RecordID); err != nil {
				return err
			}
			e.Action = audit.Action(action)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertAuditHoldsNoSecret fails when any text of the audit log holds a
// token's value or its secret part.
func assertAuditHoldsNoSecret(t *testing.T, db *store.DB, values ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT action, record_type, record_id, fields, reason, client FROM audit_log`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			cols := make([]string, 6)
			if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]); err != nil {
				return err
			}
			line := strings.Join(cols, " ")
			for _, v := range values {
				if strings.Contains(line, v[11:]) || strings.Contains(line, v[:10]) {
					t.Errorf("the audit log holds a token: %q", line)
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
