package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"approdo/internal/i18n"
)

func TestCataloguesHaveTheSameFiles(t *testing.T) {
	it, en := i18n.Files("it"), i18n.Files("en")
	if len(it) == 0 || len(it) != len(en) {
		t.Fatalf("it has %d files, en %d", len(it), len(en))
	}
	for i := range it {
		if strings.TrimPrefix(it[i], "it/") != strings.TrimPrefix(en[i], "en/") {
			t.Errorf("catalogue files differ: %s, %s", it[i], en[i])
		}
	}
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	c := i18n.MustLoad()
	it, en := c.Keys("it"), c.Keys("en")
	for _, k := range it {
		if !c.Has("en", k) {
			t.Errorf("key %q is in it.json but missing from en.json", k)
		}
	}
	for _, k := range en {
		if !c.Has("it", k) {
			t.Errorf("key %q is in en.json but missing from it.json", k)
		}
	}
}

// Keys built at run time from a prefix and a value, such as "role." + role,
// are checked against the lists they are built from.
var dynamicPrefixes = []string{"role.", "kind.", "language.short.", "language.name.", "home.panel.", "error.heading.", "field."}

var (
	templateKey = regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	dictKey     = regexp.MustCompile(`"(?:title|body)" "([a-z0-9_.]+)"`)
	goKey       = regexp.MustCompile(`"((?:error|field|nav|login|home|organisations|programmes|users|filter|form|demo|app|a11y|language|footer)\.[a-z0-9_.]+)"`)
)

// TestEveryUsedKeyIsTranslated scans the templates and the Go sources for
// catalogue keys and fails when one is missing in either language.
func TestEveryUsedKeyIsTranslated(t *testing.T) {
	c := i18n.MustLoad()
	root := moduleRoot(t)
	used := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		var patterns []*regexp.Regexp
		switch {
		case strings.HasSuffix(path, ".html"):
			patterns = []*regexp.Regexp{templateKey, dictKey}
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			patterns = []*regexp.Regexp{goKey}
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 20 {
		t.Fatalf("found only %d keys in use; the scan is broken", len(used))
	}
	for key, path := range used {
		if strings.HasSuffix(key, ".") {
			continue // a prefix completed at run time
		}
		for _, lang := range i18n.Languages {
			if !c.Has(lang, key) {
				t.Errorf("%s uses key %q, missing from %s.json", path, key, lang)
			}
		}
	}
}

func TestDynamicKeysExist(t *testing.T) {
	c := i18n.MustLoad()
	for _, k := range dynamicPrefixes {
		found := false
		for _, key := range c.Keys("it") {
			if strings.HasPrefix(key, k) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no key starts with %q", k)
		}
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]string{
		"":                        "it",
		"en-GB,en;q=0.9":          "en",
		"fr-FR,fr;q=0.9,en;q=0.5": "en",
		"de-DE":                   "it",
		"en;q=0.4,it-IT;q=0.8":    "it",
		"it-IT,it;q=0.9,en;q=0.8": "it",
		"EN-us":                   "en",
	}
	for header, want := range cases {
		if got := i18n.Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestMissingKeyShowsTheKey(t *testing.T) {
	c := i18n.MustLoad()
	if got := c.T("it", "no.such.key"); got != "no.such.key" {
		t.Fatalf("got %q", got)
	}
	if got := c.T("xx", "nav.home"); got != c.T("it", "nav.home") {
		t.Fatalf("an unknown language does not fall back to Italian: %q", got)
	}
}

func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
