// Package commonpasswords knows the passwords people use most, so that
// Approdo can refuse them. The list is the password dictionary of the npm
// package @zxcvbn-ts/language-common (MIT licence, see LICENSE.txt), vendored
// by scripts/vendor-assets.sh as passwords.txt.gz: lower case, one a line.
package commonpasswords

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

//go:embed passwords.txt.gz
var compressed []byte

// set is the list, read once on first use.
var set = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		panic("commonpasswords: the embedded list is broken: " + err.Error())
	}
	m := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			m[w] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		panic("commonpasswords: the embedded list is broken: " + err.Error())
	}
	return m
})

// IsCommon reports whether pw, ignoring case, is on the list of common
// passwords.
func IsCommon(pw string) bool {
	_, ok := set()[strings.ToLower(pw)]
	return ok
}

// Len returns how many passwords the list holds.
func Len() int { return len(set()) }
