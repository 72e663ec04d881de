// Package i18n translates Approdo's user-visible text. Every string a user
// sees comes from the catalogue of its language: the flat JSON files of the
// folder named after the language (it/, en/), one file per part of Approdo,
// with keys such as "nav.home"; values are fmt formats when the text takes
// arguments. Italian is the default language.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed it en
var files embed.FS

// Default is the language used when nothing else is known.
const Default = "it"

// Languages lists the supported languages, the default first.
var Languages = []string{"it", "en"}

// Catalogue holds the messages of every supported language.
type Catalogue struct {
	messages map[string]map[string]string
}

// Load reads the embedded catalogues. It fails when a file is not a flat
// JSON object of strings or when two files of a language define one key.
func Load() (*Catalogue, error) {
	c := &Catalogue{messages: map[string]map[string]string{}}
	for _, lang := range Languages {
		names, err := fs.Glob(files, lang+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("i18n: no catalogue for %s", lang)
		}
		all := map[string]string{}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("i18n: unable to read %s: %w", name, err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s is not a flat object of strings: %w", name, err)
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					return nil, fmt.Errorf("i18n: key %q is defined twice in %s", k, lang)
				}
				all[k] = v
			}
		}
		c.messages[lang] = all
	}
	return c, nil
}

// Files returns the catalogue files of lang, such as "it/home.json".
func Files(lang string) []string {
	names, _ := fs.Glob(files, lang+"/*.json")
	return names
}

// MustLoad is Load for program start-up and tests; it panics on error, which
// can only happen when the embedded files are broken.
func MustLoad() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// T returns the message for key in lang, formatted with args. An unknown
// language falls back to the default one; an unknown key returns the key
// itself, so a missing translation shows up rather than an empty string.
func (c *Catalogue) T(lang, key string, args ...any) string {
	m, ok := c.messages[lang]
	if !ok {
		m = c.messages[Default]
	}
	msg, ok := m[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	for i, a := range args {
		if m, ok := a.(Money); ok {
			args[i] = Euro(int64(m), lang)
		}
	}
	return fmt.Sprintf(msg, args...)
}

// Money is an amount in euro cents given to T, which writes it as the
// language writes euro: "3.600,00 €" in Italian, "€3,600.00" in English.
type Money int64

// Euro writes an amount in cents as lang writes euro.
func Euro(cents int64, lang string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	sep, dec := ".", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	n := fmt.Sprintf("%s%s%02d", b.String(), dec, cents%100)
	if lang == "en" {
		return sign + "€" + n
	}
	return sign + n + " €"
}

// Has reports whether lang's catalogue holds key.
func (c *Catalogue) Has(lang, key string) bool {
	_, ok := c.messages[lang][key]
	return ok
}

// Keys returns the keys of lang's catalogue, sorted.
func (c *Catalogue) Keys(lang string) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Negotiate picks the supported language the Accept-Language header prefers,
// or Default.
func Negotiate(acceptLanguage string) string {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !Supported(lang) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

type langKey struct{}

// WithLang returns a context that carries the language of the request.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// LangFrom returns the language of the request, or Default.
func LangFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return Default
}
