package auth

import (
	"testing"
	"time"
)

// TestHashesWaitForACore checks that no more password hashes are computed
// at once than there are cores: with every place taken, a sign-in's hash
// waits, and it runs as soon as one is free.
func TestHashesWaitForACore(t *testing.T) {
	hash, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(hashing) {
		hashing <- struct{}{}
	}
	done := make(chan bool)
	go func() { done <- VerifyPassword(hash, "correct horse battery staple") }()
	select {
	case <-done:
		t.Fatal("a hash was computed while every core was taken")
	case <-time.After(50 * time.Millisecond):
	}
	<-hashing
	if !<-done {
		t.Error("the password did not verify once a core was free")
	}
	for range cap(hashing) - 1 {
		<-hashing
	}
}
