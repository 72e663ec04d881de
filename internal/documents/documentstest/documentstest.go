// Package documentstest reads back the PDF documents Approdo prints, for
// tests: with pdftotext, a reader that shares no code with the writer.
package documentstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Text returns the text of a PDF as pdftotext reads it, with Arabic
// presentation forms folded back into the letters they show (NFKC). It
// skips the test when pdftotext is not installed, unless
// APPRODO_TEST_REQUIRE names it, and fails it when pdftotext cannot read
// the document.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if strings.Contains(os.Getenv("APPRODO_TEST_REQUIRE"), "pdftotext") {
			t.Fatal("pdftotext is required (APPRODO_TEST_REQUIRE) but not installed: apt-get install poppler-utils")
		}
		t.Skip("pdftotext is not installed")
	}
	file := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext cannot read the document: %v\n%s", err, out)
	}
	return norm.NFKC.String(string(out))
}
