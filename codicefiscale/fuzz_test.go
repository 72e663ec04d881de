package codicefiscale_test

import (
	"errors"
	"testing"

	"approdo/codicefiscale"
)

// FuzzValidate checks that Validate and Decode never panic and agree with
// each other and with Normalize and CheckCharacter.
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		rossi, bianchi, ali, rossiOmo1, rossiOmo7, agenzia, counting, "", " ", "00000000000",
		"RSSMRA85T10A562T", "rssmra85t10a562s", "RSSMRA85T10A562È", "RSSMRA85T10A562\xff", "0636 3391 001",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, err := codicefiscale.Validate(s)
		n := codicefiscale.Normalize(s)
		if codicefiscale.Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q", s)
		}
		kind2, err2 := codicefiscale.Validate(n)
		if kind2 != kind || (err == nil) != (err2 == nil) {
			t.Fatalf("Validate(%q) = %v, %v but Validate(Normalize) = %v, %v", s, kind, err, kind2, err2)
		}
		info, derr := codicefiscale.Decode(s)
		if err != nil {
			var e *codicefiscale.Error
			if kind != 0 || !errors.As(err, &e) || e.Reason == "" || e.Position < 0 || e.Position > 16 {
				t.Fatalf("Validate(%q) = %v, %#v", s, kind, err)
			}
			if derr == nil {
				t.Fatalf("Decode(%q) succeeds where Validate fails with %v", s, err)
			}
			return
		}
		switch kind {
		case codicefiscale.Personal:
			if derr != nil {
				t.Fatalf("Decode(%q) fails with %v on a valid personal code", s, derr)
			}
			if info.Day < 1 || info.Day > 31 || info.Month < 1 || info.Month > 12 || info.Year < 0 || info.Year > 99 {
				t.Fatalf("Decode(%q) = %+v", s, info)
			}
			if c, cerr := codicefiscale.CheckCharacter(n[:15]); cerr != nil || c != n[15] {
				t.Fatalf("CheckCharacter(%q) = %q, %v", n[:15], c, cerr)
			}
		case codicefiscale.Provisional:
			var e *codicefiscale.Error
			if !errors.As(derr, &e) || e.Reason != codicefiscale.NotPersonal {
				t.Fatalf("Decode(%q) = %v on a provisional code", s, derr)
			}
		default:
			t.Fatalf("Validate(%q) = kind %v without error", s, kind)
		}
	})
}
