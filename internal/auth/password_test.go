package auth_test

import (
	"strings"
	"testing"

	"approdo/internal/auth"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	auth.SetHashCost(auth.DefaultHashCost)
	defer auth.SetHashCost(auth.TestHashCost)
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	if !auth.VerifyPassword(h, "correct horse battery staple") {
		t.Fatal("the right password does not verify")
	}
	if auth.VerifyPassword(h, "correct horse battery stapler") {
		t.Fatal("a wrong password verifies")
	}
	h2, _ := auth.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("two hashes of one password share a salt")
	}
}

func TestMalformedHashesNeverVerify(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=65536,t=3,p=1$!!!$aGFzaA", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$"} {
		if auth.VerifyPassword(h, "") || auth.VerifyPassword(h, "plain") {
			t.Errorf("malformed hash %q verified", h)
		}
	}
}
