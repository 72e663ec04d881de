package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"approdo"
	"approdo/internal/auth"
)

const tokenUsage = `Usage: approdo token create --user USERNAME [--expires 90d] [--name TEXT]
       approdo token revoke --id N

Create prints a personal API token once on stdout; revoke stops one at once.
Run "approdo token create -h" or "approdo token revoke -h" for the flags.
`

// runToken runs the token subcommands: "approdo token create" and
// "approdo token revoke".
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runTokenCreate(ctx, args[1:], stdout, stderr)
		case "revoke":
			return runTokenRevoke(ctx, args[1:], stdout, stderr)
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stderr, tokenUsage)
			return nil
		}
	}
	fmt.Fprint(stderr, tokenUsage)
	return usageError{"token needs a subcommand: create or revoke"}
}

// defaultTokenLifetime is how long a token made on the command line lives
// unless --expires says otherwise.
const defaultTokenLifetime = "90d"

// runTokenCreate issues a personal API token to a user and prints its value,
// alone on stdout so that a script can capture it; what it is goes to
// stderr. The value is shown this once.
func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("token create", "Issue a personal API token to a user and print it once on stdout. The token acts as\n"+
		"the user, with their permissions, on the JSON API (Authorization: Bearer TOKEN).", stderr)
	user := fs.String("user", "", "`username` of the token's owner; required (APPRODO_USER)")
	expires := fs.String("expires", defaultTokenLifetime, "`lifetime` of the token: days such as 30d, or a duration such as 720h; at most 365d (APPRODO_EXPIRES)")
	name := fs.String("name", "command line", "`text` saying what the token is for, shown in the owner's list of tokens (APPRODO_NAME)")
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys and files (APPRODO_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	username := strings.TrimSpace(*user)
	if username == "" {
		return usageError{"token create needs --user USERNAME"}
	}
	lifetime, err := parseLifetime(*expires)
	if err != nil {
		return err
	}
	label := strings.TrimSpace(*name)
	if label == "" || utf8.RuneCountInString(label) > auth.TokenNameMax {
		return usageError{fmt.Sprintf("--name must hold 1 to %d characters", auth.TokenNameMax)}
	}
	db, err := openDatabase(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens := auth.NewTokens(auth.NewSessions(db, auth.NewRoleBook(db)))
	tok, value, err := tokens.CreateAsOperator(ctx, username, auth.TokenRequest{Name: label, Lifetime: lifetime})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, value)
	fmt.Fprintf(stderr, "token %d (%s) created, expires %s; it is shown only this once\n",
		tok.ID, tok.Prefix, tok.ExpiresAt.Format(time.RFC3339))
	return nil
}

// maxTokenLifetime mirrors auth.NewTokens's limit for messages.
const maxTokenLifetime = 365 * 24 * time.Hour

// parseLifetime reads a token's lifetime: whole days written "90d", or a Go
// duration such as "720h", from one minute to 365 days.
func parseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, usageError{fmt.Sprintf("--expires %q is not a lifetime: give days such as 90d or a duration such as 720h", s)}
		}
		d = time.Duration(min(max(n, -1), 366)) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, usageError{fmt.Sprintf("--expires %q is not a lifetime: give days such as 90d or a duration such as 720h", s)}
		}
	}
	if d <= 0 {
		return 0, usageError{fmt.Sprintf("--expires %q must be positive: tokens expire", s)}
	}
	if d < time.Minute {
		return 0, usageError{fmt.Sprintf("--expires %q is too short: a token lives at least one minute", s)}
	}
	if d > maxTokenLifetime {
		return 0, usageError{fmt.Sprintf("--expires %q is too long: a token lives at most 365d", s)}
	}
	return d, nil
}

// runTokenRevoke revokes a token by id, whoever owns it.
func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("token revoke", "Revoke a personal API token, which stops working at once.", stderr)
	id := fs.Int64("id", 0, "`id` of the token, as listed on its owner's API tokens page; required (APPRODO_ID)")
	dsn := fs.String("db", "", "SQLite file `path` or postgres:// URL; default DATA/approdo.db (APPRODO_DB)")
	data := fs.String("data", "approdo-data", "`folder` for keys and files (APPRODO_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return usageError{"token revoke needs --id N, a positive number"}
	}
	db, err := openDatabase(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, err := auth.NewTokens(auth.NewSessions(db, auth.NewRoleBook(db))).RevokeAsOperator(ctx, *id)
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return fmt.Errorf("no API token has the id %d", *id)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "token %d (%s) revoked at %s\n", tok.ID, tok.Prefix, tok.RevokedAt.Format(time.RFC3339))
	return nil
}
