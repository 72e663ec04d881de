package server_test

import (
	"os"
	"testing"

	"approdo/internal/auth"
	"approdo/internal/store/storetest"
)

// TestMain makes password hashes cheap: these tests sign in many times, and
// the real cost is checked by the password tests of internal/auth. It
// removes the seeded templates the tests copied at the end.
func TestMain(m *testing.M) {
	auth.SetHashCost(auth.TestHashCost)
	code := m.Run()
	storetest.Cleanup()
	os.Exit(code)
}
