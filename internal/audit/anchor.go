package audit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"approdo/internal/store"
)

// AnchorFile is the name of the anchor in the data folder.
const AnchorFile = "audit.anchor"

// WriteAnchor records the log's current head in DIR/audit.anchor, replacing
// the file atomically.
func WriteAnchor(ctx context.Context, db *store.DB, dir string) (*Anchor, error) {
	seq, hash, err := Head(ctx, db)
	if err != nil {
		return nil, err
	}
	a := &Anchor{Seq: seq, Hash: hash}
	tmp, err := os.CreateTemp(dir, ".audit.anchor-*")
	if err != nil {
		return nil, fmt.Errorf("audit: unable to write the anchor: %w", err)
	}
	_, err = fmt.Fprintf(tmp, "%d %s\n", a.Seq, hex.EncodeToString(a.Hash))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, AnchorFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("audit: unable to write the anchor: %w", err)
	}
	return a, nil
}

// ReadAnchor reads DIR/audit.anchor. It returns nil and no error when there
// is none yet.
func ReadAnchor(dir string) (*Anchor, error) {
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("audit: unable to read the anchor: %w", err)
	}
	seqText, hashText, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	seq, err1 := strconv.ParseInt(seqText, 10, 64)
	hash, err2 := hex.DecodeString(hashText)
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("audit: the anchor %s is malformed", filepath.Join(dir, AnchorFile))
	}
	return &Anchor{Seq: seq, Hash: hash}, nil
}
