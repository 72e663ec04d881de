package casework

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	namematch "approdo/names"
)

// Search limits: the length of a query, the places in cases read from the
// blind indexes, and the results returned.
const (
	MaxQueryLength   = 200
	maxSearchPlaces  = 500
	MaxSearchResults = 50
	maxCodeResults   = 20
)

// SearchResult is a case found by a search: by its code, or by a name of
// one of its persons.
type SearchResult struct {
	CaseID int64
	Code   string
	Kind   cases.Kind
	// Summary reports a case the actor reaches only as a summary.
	Summary bool
	// PersonID is the person whose name matched, 0 for a match on the code.
	PersonID int64
	Role     cases.CaseRole
	// Name is the person's name to show (cases.Identity.DisplayName; for a
	// match on the code, the main person's), "" when the actor does not see
	// identities.
	Name string
	// Matched is the name that matched when it is not Name: an alias or a
	// name in another script.
	Matched string
	Score   float64
}

// Search finds the cases a may read by the prefix of their code and by the
// names of their persons, in any spelling or script: each word of query
// must match a name of the person by its start, by its sound or by its
// spelling in another script (names.QueryTerms, looked up in the blind
// indexes); candidates are then decrypted and ranked by names.Similarity.
// Names are searched only for actors who see identities, among the cases
// they may read; codes among the cases they may list, in summary for the
// lead entity. The search, never its words, is recorded in the audit log,
// with one read of each case found. It returns EINVALID on "q" for a query
// longer than MaxQueryLength.
func (s *Service) Search(ctx context.Context, a *auth.Actor, query, client string) ([]SearchResult, error) {
	query = strings.Join(strings.Fields(strings.ToValidUTF8(strings.ReplaceAll(query, "\x00", " "), " ")), " ")
	if utf8.RuneCountInString(query) > MaxQueryLength {
		return nil, approdo.Invalid(approdo.FieldError{Field: "q", Message: "error.field.too_long", Args: []any{MaxQueryLength}})
	}
	if query == "" {
		return nil, nil
	}
	var out []SearchResult
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if out, err = s.searchCodes(ctx, tx, a, query); err != nil {
			return err
		}
		byName, err := s.searchNames(ctx, tx, a, query)
		if err != nil {
			return err
		}
		out = append(out, byName...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) > MaxSearchResults {
		out = out[:MaxSearchResults]
	}
	entries := []*audit.Entry{{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
		RecordType: "case_search", Fields: []string{"results:" + strconv.Itoa(len(out))}, Client: client}}
	seen := map[int64]bool{}
	for _, r := range out {
		if seen[r.CaseID] {
			continue
		}
		seen[r.CaseID] = true
		entries = append(entries, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Read,
			RecordType: "case", RecordID: strconv.FormatInt(r.CaseID, 10), CaseID: r.CaseID, Fields: []string{"search"},
			Client: client})
	}
	err = s.Reads.Record(ctx, entries...)
	return out, err
}

// searchCodes finds cases by the prefix of their code.
func (s *Service) searchCodes(ctx context.Context, tx *store.Tx, a *auth.Actor, query string) ([]SearchResult, error) {
	if utf8.RuneCountInString(query) < 2 || strings.IndexFunc(query, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-')
	}) >= 0 {
		return nil, nil // case codes are letters, digits and hyphens
	}
	scope, summary := CaseScope(a, access.List, access.Cases), false
	if scope.Empty() {
		scope, summary = CaseScope(a, access.List, access.CaseSummaries), true
	}
	found, err := store.SearchCaseCodes(ctx, tx, query, scope, maxCodeResults)
	if err != nil {
		return nil, err
	}
	var out []SearchResult
	for i := range found {
		c := &found[i]
		r := SearchResult{CaseID: c.ID, Code: c.Code, Kind: c.Kind, Summary: summary, Score: 1}
		if !summary && auth.Allowed(a, access.Read, Target(c, access.Cases)) && visibility(a, c).Identity {
			places, err := store.ListCasePersons(ctx, tx, c.ID)
			if err != nil {
				return nil, err
			}
			if len(places) > 0 && places[0].Role == cases.MainPerson {
				sp, err := store.FindPerson(ctx, tx, places[0].PersonID)
				if err != nil {
					return nil, err
				}
				p := sp.Person
				if err := openIdentity(ctx, s.Vault, sp, &p); err != nil {
					return nil, err
				}
				r.Name = p.Identity.DisplayName()
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// searchNames finds cases by the names of their persons.
func (s *Service) searchNames(ctx context.Context, tx *store.Tx, a *auth.Actor, query string) ([]SearchResult, error) {
	scope := CaseScope(a, access.List, access.Cases)
	if scope.Empty() || !auth.SeesField(a, access.Identity, a.Organisation.ID) {
		return nil, nil
	}
	var terms [][][]byte
	for _, term := range namematch.QueryTerms(query) {
		var hashes [][]byte
		for _, k := range term {
			hashes = append(hashes, s.Vault.BlindIndex("name", k.String()))
		}
		terms = append(terms, hashes)
	}
	if len(terms) == 0 {
		return nil, nil
	}
	places, err := store.SearchPersons(ctx, tx, terms, scope, maxSearchPlaces)
	if err != nil {
		return nil, err
	}
	var ids, caseIDs []int64
	for _, cp := range places {
		if !slices.Contains(ids, cp.PersonID) && len(ids) < MaxComparedPersons {
			ids = append(ids, cp.PersonID)
		}
		if !slices.Contains(caseIDs, cp.CaseID) {
			caseIDs = append(caseIDs, cp.CaseID)
		}
	}
	stored, err := store.FindPersons(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	found, err := store.FindCases(ctx, tx, caseIDs)
	if err != nil {
		return nil, err
	}
	byCase := map[int64]*cases.Case{}
	for i := range found {
		byCase[found[i].ID] = &found[i]
	}
	type hit struct {
		name, matched string
		score         float64
	}
	hits := map[int64]hit{}
	for i := range stored {
		p := stored[i].Person
		if err := openIdentity(ctx, s.Vault, &stored[i], &p); err != nil {
			return nil, err
		}
		best, ok := hit{score: -1}, false
		for _, n := range p.Identity.Names {
			score, match := nameMatches(query, n.Text)
			if match && score > best.score {
				best, ok = hit{name: p.Identity.DisplayName(), matched: n.Text, score: score}, true
			}
		}
		if ok {
			if strings.Contains(best.name, best.matched) {
				best.matched = ""
			}
			hits[p.ID] = best
		}
	}
	var out []SearchResult
	for _, cp := range places {
		h, ok := hits[cp.PersonID]
		c := byCase[cp.CaseID]
		if !ok || c == nil || !auth.Allowed(a, access.Read, Target(c, access.Cases)) || !visibility(a, c).Identity {
			continue
		}
		out = append(out, SearchResult{CaseID: c.ID, Code: c.Code, Kind: c.Kind, PersonID: cp.PersonID, Role: cp.Role,
			Name: h.name, Matched: h.matched, Score: h.score})
	}
	slices.SortStableFunc(out, func(x, y SearchResult) int { return cmp.Compare(y.Score, x.Score) })
	return out, nil
}

// nameMatches reports whether a stored name answers a query, and how well:
// the whole query is like the name (names.Similarity at least
// names.Possible), or each word of the query of two letters or more starts
// a word of the name, starts its sound (names.Skeleton), or is spelled like
// one of its words, so that "moham" finds Mohamed and "muham" finds it by
// sound, but not Mohsen.
func nameMatches(query, name string) (float64, bool) {
	score := namematch.Similarity(query, name)
	if score >= namematch.Possible {
		return score, true
	}
	words := append(strings.Fields(namematch.Fold(name)), namematch.Tokens(name)...)
	for _, q := range strings.Fields(namematch.Fold(query)) {
		if utf8.RuneCountInString(q) < 3 {
			continue // particles and initials: the other words decide
		}
		sound := namematch.Skeleton(q)
		if !slices.ContainsFunc(words, func(w string) bool {
			return strings.HasPrefix(w, q) || len(sound) >= 2 && strings.HasPrefix(namematch.Skeleton(w), sound) ||
				namematch.Similarity(q, w) >= namematch.Possible
		}) {
			return score, false
		}
	}
	return score, true
}
