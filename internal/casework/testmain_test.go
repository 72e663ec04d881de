package casework_test

import (
	"os"
	"testing"

	"approdo/internal/auth"
)

// TestMain makes password hashes cheap: the demo network is seeded for each
// benchmark, and the real cost is checked by the password tests of
// internal/auth.
func TestMain(m *testing.M) {
	auth.SetHashCost(auth.TestHashCost)
	os.Exit(m.Run())
}
