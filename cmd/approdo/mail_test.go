package main

import (
	"strings"
	"testing"
)

func TestBadMailFlagsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--smtp-addr", "mail.example.org"},
		{"serve", "--smtp-addr", "mail.example.org:587"},
		{"serve", "--smtp-addr", "mail.example.org:587", "--smtp-from", "Approdo"},
	} {
		args = append(args, "--data", t.TempDir())
		code, _, errOut := runCLI(t, args...)
		if last := lastLine(errOut); code != 2 || !strings.HasPrefix(last, "approdo: ") || !strings.Contains(last, "--smtp-") {
			t.Errorf("%v: exit %d, last line %q", args, code, last)
		}
	}
}
