package casework

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	namematch "approdo/names"
	"approdo/network"
)

// Duplicate detection at intake. A person being added, or a person on file,
// is looked up among every person of the network, whoever holds them: the
// blind indexes of the keys of each of their names (namematch.Keys) find
// candidates holding any key, most keys first, in one indexed lookup that
// never reads the persons table whole; candidates must share a possible
// birth date (with a margin) and a nationality (or have none); at most
// MaxComparedPersons of them are decrypted and ranked by namematch.Similarity.
// The same codice fiscale or CUI is a match whatever the names say.
//
// What the actor learns depends on their reach: a match in a case they may
// read is shown with its case; a match held only elsewhere is shown as the
// organisation that holds it, with nothing else, and the actor may ask that
// organisation's social workers for access.

// Probe is what a duplicate check compares: the names of a person in any
// script, their birth date, nationality and identifiers.
type Probe struct {
	Names         []string
	Birth         cases.BirthDate
	Nationality   string
	CodiceFiscale string
	CUI           string
	// PersonID is the person the probe describes, never a match of itself;
	// 0 for a person not on file yet.
	PersonID int64
}

// ProbeOf returns the probe of person p.
func ProbeOf(p *cases.Person) Probe {
	return Probe{Names: p.Identity.Texts(), Birth: p.Birth, Nationality: p.Nationality,
		CodiceFiscale: p.Identity.CodiceFiscale, CUI: p.Identity.CUI, PersonID: p.ID}
}

// Match is a possible duplicate in a case the actor may read.
type Match struct {
	PersonID int64
	Version  int
	// Name is the match's name to show (cases.Identity.DisplayName), ""
	// when the actor does not see identities on its cases.
	Name        string
	Birth       cases.BirthDate
	Nationality string
	Sex         cases.Sex
	// Score is the best namematch.Similarity between the probe's names and the
	// match's; 1 for the same codice fiscale or CUI.
	Score float64
	// Likely reports a score of at least namematch.LikelySame.
	Likely bool
	// Cases are the cases of the match the actor may read.
	Cases []CaseRef
	// CanMerge reports whether the actor may merge the match with the
	// probe's person: they may read and update every case of the match.
	CanMerge bool
}

// CaseRef names a case.
type CaseRef struct {
	ID   int64
	Code string
	Kind cases.Kind
	Role cases.CaseRole
}

// HeldBy is an organisation holding a possible duplicate in a case the
// actor may not read. It says nothing else about it.
type HeldBy struct {
	OrganisationID int64
	Organisation   string
}

// Duplicates are the possible duplicates of a probe.
type Duplicates struct {
	// InScope are the matches in cases the actor may read, best first.
	InScope []Match
	// Elsewhere are the organisations holding matches the actor may not
	// read, by name.
	Elsewhere []HeldBy
}

// Empty reports whether no possible duplicate was found.
func (d *Duplicates) Empty() bool { return d == nil || len(d.InScope) == 0 && len(d.Elsewhere) == 0 }

// FindDuplicates returns the possible duplicates of probe across the
// network, as a may learn of them while adding a person to case caseID or
// working on one of its persons. It returns ENOTFOUND when a may not update
// the case. Matches shown in a's cases are recorded as reads of those
// cases.
func (s *Service) FindDuplicates(ctx context.Context, a *auth.Actor, caseID int64, probe Probe, client string) (*Duplicates, error) {
	var dups *Duplicates
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := s.updatable(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		if !visibility(a, c).Identity {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		dups, err = s.findDuplicates(ctx, tx, a, normalProbe(probe))
		return err
	})
	if err != nil {
		return nil, err
	}
	return dups, s.recordMatches(ctx, a, dups, client)
}

// normalProbe normalises the probe's fields as a person's are.
func normalProbe(p Probe) Probe {
	x := cases.Person{ID: p.PersonID, Birth: p.Birth, Nationality: p.Nationality,
		Identity: cases.Identity{CodiceFiscale: p.CodiceFiscale, CUI: p.CUI}}
	for _, n := range p.Names {
		x.Identity.Names = append(x.Identity.Names, cases.Name{Kind: cases.PrimaryName, Text: n})
	}
	x.Normalize()
	return ProbeOf(&x)
}

// recordMatches records, for each case of the matches a was shown, that a
// saw persons of it.
func (s *Service) recordMatches(ctx context.Context, a *auth.Actor, d *Duplicates, client string) error {
	if d == nil || len(d.InScope) == 0 {
		return nil
	}
	var entries []*audit.Entry
	seen := map[int64]bool{}
	for _, m := range d.InScope {
		for _, c := range m.Cases {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			entries = append(entries, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
				Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(c.ID, 10), CaseID: c.ID,
				Fields: []string{"persons", "duplicates"}, Client: client})
		}
	}
	return s.Reads.Record(ctx, entries...)
}

// birthWindow returns the birth dates a duplicate of b may have: b's own
// range for an assessed range, a year either side of the known date
// otherwise; zero times when b is unknown.
func birthWindow(b cases.BirthDate) (from, to time.Time) {
	switch {
	case !b.Known():
		return time.Time{}, time.Time{}
	case b.Precision == cases.Assessed:
		return b.Min, b.Max
	}
	return b.Min.AddDate(-1, 0, 0), b.Max.AddDate(1, 0, 0)
}

// The keys of the duplicate check. Besides the keys of names.Keys, which
// serve the search, each name is stored under the sound (names.Skeleton)
// of each of its tokens with each year its birth date spans ("?" when it is
// unknown or spans more than maxBirthYears), and under each pair of those
// sounds with each year. A probe born in a known window looks up the sounds
// and pairs of its names with the years of the window and "?": it reads
// only the index rows of persons who share a token and may share a birth
// year, not every person sharing a common token (one Mohamed in five),
// and persons sharing two tokens hold more of its keys, so they rank
// first. A probe of unknown birth looks up the keys of names.Keys.
const (
	// duplicateKeysVersion numbers the rules of these keys; persons'
	// keys_version is names.KeysVersion*100 plus it.
	duplicateKeysVersion = 1
	maxSoundTokens       = 5 // tokens of a name whose sounds are indexed
	maxBirthYears        = 3 // years a birth date is indexed under
	maxWindowYears       = 8 // years a probe looks up before it looks up all years
)

// keysVersion is the version of the rules of every key of person_keys.
const keysVersion = namematch.KeysVersion*100 + duplicateKeysVersion

// soundTokens returns the sounds (names.Skeleton) of the tokens of a name,
// canonical ones and parts of compounds, without repetitions, at most
// maxSoundTokens. Initials give none.
func soundTokens(name string) []string {
	var out []string
	for _, t := range namematch.Tokens(name) {
		if s := namematch.Skeleton(t); s != "" && len([]rune(t)) >= 2 && !slices.Contains(out, s) {
			out = append(out, s)
		}
		if len(out) == maxSoundTokens {
			break
		}
	}
	return out
}

// soundPairs returns the pairs of sounds of a name, each in sorted order.
func soundPairs(sounds []string) []string {
	var out []string
	for i := range sounds {
		for j := i + 1; j < len(sounds); j++ {
			a, b := sounds[i], sounds[j]
			if b < a {
				a, b = b, a
			}
			out = append(out, a+" "+b)
		}
	}
	return out
}

// birthYears returns the years a birth date is indexed under: those it
// spans, or "?" when it is unknown or spans more than maxBirthYears.
func birthYears(b cases.BirthDate) []string {
	if !b.Known() || b.Max.Year()-b.Min.Year() >= maxBirthYears {
		return []string{"?"}
	}
	var out []string
	for y := b.Min.Year(); y <= b.Max.Year(); y++ {
		out = append(out, strconv.Itoa(y))
	}
	return out
}

// duplicateKeys returns the keys of the duplicate check a person with names
// texts, born b, is stored under.
func duplicateKeys(texts []string, b cases.BirthDate) []string {
	return withYears(texts, birthYears(b))
}

// withYears returns the sounds and pairs of sounds of names, each with each
// of years.
func withYears(texts, years []string) []string {
	var out []string
	for _, text := range texts {
		sounds := soundTokens(text)
		for _, key := range append(prefixed("dup-tok:", sounds), prefixed("dup-two:", soundPairs(sounds))...) {
			for _, y := range years {
				out = append(out, key+"|"+y)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func prefixed(prefix string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = prefix + s
	}
	return out
}

// probeKeys returns the keys a duplicate check of p looks up: with a birth
// window of a few years, the sounds and pairs of sounds of its names with
// those years and "?"; otherwise the keys of names.Keys (all but the
// prefixes, which serve search as one types and would pull in every name
// that starts alike).
func probeKeys(p Probe) []string {
	if from, to := birthWindow(p.Birth); !from.IsZero() && to.Year()-from.Year() < maxWindowYears {
		years := []string{"?"}
		for y := from.Year(); y <= to.Year(); y++ {
			years = append(years, strconv.Itoa(y))
		}
		return withYears(p.Names, years)
	}
	var out []string
	for _, text := range p.Names {
		for _, k := range namematch.Keys(text) {
			if k.Kind != namematch.Prefix && k.Kind != namematch.SoundPrefix {
				out = append(out, k.String())
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// findDuplicates runs the duplicate check of probe for a in tx.
func (s *Service) findDuplicates(ctx context.Context, tx *store.Tx, a *auth.Actor, probe Probe) (*Duplicates, error) {
	var keys [][]byte
	for _, k := range probeKeys(probe) {
		keys = append(keys, s.Vault.BlindIndex("name", k))
	}
	from, to := birthWindow(probe.Birth)
	var exclude []int64
	if probe.PersonID != 0 {
		exclude = []int64{probe.PersonID}
	}
	found, err := store.FindCandidates(ctx, tx, keys, store.CandidateFilter{BornFrom: from, BornTo: to,
		Nationality: probe.Nationality, Exclude: exclude, Scan: MaxIndexCandidates, Limit: MaxComparedPersons})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(found))
	for _, c := range found {
		ids = append(ids, c.PersonID)
	}
	// The same codice fiscale or CUI is the same person, whatever the
	// names, dates and nationality recorded.
	sameID := map[int64]bool{}
	if idKeys := identifierKeys(s.Vault, probe.CodiceFiscale, probe.CUI); len(idKeys) > 0 {
		same, err := store.FindCandidates(ctx, tx, idKeys, store.CandidateFilter{Exclude: exclude, Scan: 20, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, c := range same {
			sameID[c.PersonID] = true
			if !slices.Contains(ids, c.PersonID) {
				ids = append(ids, c.PersonID)
			}
		}
	}
	stored, err := store.FindPersons(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	scores := map[int64]float64{}
	persons := map[int64]*cases.Person{}
	var matched []int64
	for i := range stored {
		p := stored[i].Person
		if err := openIdentity(ctx, s.Vault, &stored[i], &p); err != nil {
			return nil, err
		}
		score := 0.0
		if sameID[p.ID] {
			score = 1
		} else {
			for _, n := range probe.Names {
				for _, m := range p.Identity.Names {
					score = max(score, namematch.Similarity(n, m.Text))
				}
			}
		}
		if score < namematch.Possible {
			continue
		}
		scores[p.ID], persons[p.ID] = score, &p
		matched = append(matched, p.ID)
	}
	places, byID, err := store.CasesOfPersons(ctx, tx, matched)
	if err != nil {
		return nil, err
	}
	var orgIDs []int64
	out := &Duplicates{}
	for _, id := range matched {
		p := persons[id]
		m := Match{PersonID: id, Version: p.Version, Birth: p.Birth, Nationality: p.Nationality, Sex: p.Sex,
			Score: scores[id], Likely: scores[id] >= namematch.LikelySame, CanMerge: true}
		for _, cp := range places[id] {
			c := byID[cp.CaseID]
			if auth.Allowed(a, access.Read, Target(c, access.Cases)) {
				m.Cases = append(m.Cases, CaseRef{ID: c.ID, Code: c.Code, Kind: c.Kind, Role: cp.Role})
				if m.Name == "" && auth.SeesField(a, access.Identity, c.OwnerOrgID) {
					m.Name = p.Identity.DisplayName()
				}
				m.CanMerge = m.CanMerge && auth.Allowed(a, access.Update, Target(c, access.Cases))
				continue
			}
			m.CanMerge = false
			if !slices.Contains(orgIDs, c.OwnerOrgID) {
				orgIDs = append(orgIDs, c.OwnerOrgID)
			}
		}
		if len(m.Cases) > 0 {
			out.InScope = append(out.InScope, m)
		}
	}
	slices.SortStableFunc(out.InScope, func(x, y Match) int { return cmp.Compare(y.Score, x.Score) })
	if len(orgIDs) > 0 {
		orgs, err := store.ListOrganisations(ctx, tx)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if slices.Contains(orgIDs, o.ID) {
				out.Elsewhere = append(out.Elsewhere, HeldBy{OrganisationID: o.ID, Organisation: o.Name})
			}
		}
		slices.SortFunc(out.Elsewhere, func(x, y HeldBy) int { return cmp.Compare(x.Organisation, y.Organisation) })
	}
	return out, nil
}

// RequestAccess asks the social workers of organisation orgID, which holds
// a possible duplicate of probe that a may not read, to get in touch about
// case caseID: the notification names a's case by its code, never the
// person. It returns the organisation's name. It returns ENOTFOUND when a
// may not update the case, and EINVALID on "organisation_id" when the
// organisation holds no such match, so that it cannot be used to write to
// any organisation.
func (s *Service) RequestAccess(ctx context.Context, a *auth.Actor, caseID, orgID int64, probe Probe, client string) (string, error) {
	var c *cases.Case
	var name string
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.updatable(ctx, tx, a, caseID); err != nil {
			return err
		}
		if !visibility(a, c).Identity {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if orgID <= 0 {
			return approdo.Invalid(approdo.FieldError{Field: "organisation_id", Message: "error.field.required"})
		}
		d, err := s.findDuplicates(ctx, tx, a, normalProbe(probe))
		if err != nil {
			return err
		}
		i := slices.IndexFunc(d.Elsewhere, func(h HeldBy) bool { return h.OrganisationID == orgID })
		if i < 0 {
			return approdo.Invalid(approdo.FieldError{Field: "organisation_id", Message: "error.field.unknown_reference"})
		}
		name = d.Elsewhere[i].Organisation
		return nil
	})
	if err != nil {
		return "", err
	}
	return name, s.DB.Write(ctx, func(tx *store.Tx) error {
		ids, err := store.UsersWithRoleIn(ctx, tx, orgID, string(network.SocialWorker))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := store.InsertNotification(ctx, tx, &store.Notification{UserID: id, Kind: "access_request",
				CaseCode: c.Code, ActorID: a.User.ID}); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID, Action: audit.Create,
			RecordType: "access_request", RecordID: strconv.FormatInt(orgID, 10), CaseID: caseID,
			Fields: []string{"organisation"}, Client: client})
	})
}
