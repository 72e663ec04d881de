package commonpasswords_test

import (
	"testing"

	"approdo/internal/auth/commonpasswords"
)

func TestIsCommon(t *testing.T) {
	if n := commonpasswords.Len(); n < 40000 {
		t.Fatalf("the list holds only %d passwords", n)
	}
	for _, pw := range []string{"password", "123456", "qwertyuiop", "1qaz2wsx3edc", "Administrator", "QWERTY123456"} {
		if !commonpasswords.IsCommon(pw) {
			t.Errorf("%q is not found common", pw)
		}
	}
	for _, pw := range []string{"", "approdo-demo-2026", "Tigrinya e arabo al Faro 7", "correct horse battery staple"} {
		if commonpasswords.IsCommon(pw) {
			t.Errorf("%q is found common", pw)
		}
	}
}
