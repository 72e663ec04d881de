package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/cases"
)

// PersonSeals are the sealed field groups of a person, one value per group,
// as the vault made them: identity, judicial, religion and sexual life.
type PersonSeals struct {
	Identity, Judicial, Religion, SexualLife string
}

// StoredPerson is a person as stored: the clear fields in Person (whose
// sensitive fields are left empty) and the sealed groups beside them.
type StoredPerson struct {
	cases.Person
	Seals PersonSeals
}

const personColumns = `id, sex, birth_precision, birth_min, birth_max, nationality, languages, arrived_on,
	unaccompanied, identity_sealed, judicial_sealed, religion_sealed, sexual_life_sealed, COALESCE(merged_into, 0), version`

func scanPerson(row interface{ Scan(...any) error }, p *StoredPerson) error {
	var sex, precision, langs string
	var bmin, bmax, arrived sql.NullTime
	if err := row.Scan(&p.ID, &sex, &precision, &bmin, &bmax, &p.Nationality, &langs, &arrived, &p.Unaccompanied,
		&p.Seals.Identity, &p.Seals.Judicial, &p.Seals.Religion, &p.Seals.SexualLife, &p.MergedInto, &p.Version); err != nil {
		return err
	}
	p.Sex, p.Birth.Precision = cases.Sex(sex), cases.Precision(precision)
	p.Birth.Min, p.Birth.Max, p.ArrivedOn = day(bmin), day(bmax), day(arrived)
	p.Languages = nil
	if langs != "" {
		p.Languages = strings.Split(langs, ",")
	}
	return nil
}

// day returns the day of a nullable date column, in UTC, or the zero time.
func day(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	y, m, d := t.Time.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// nullDate is a date for a nullable column: NULL for the zero time.
func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// InsertPerson stores the clear fields of a new person with no sealed group
// yet, and sets its ID and Version. The caller seals the groups, whose aad
// names the ID, and stores them with SetPersonSeals, and stores the blind
// indexes made by the rules of keysVersion with AddPersonKeys, in the same
// transaction.
func InsertPerson(ctx context.Context, tx *Tx, p *cases.Person, keysVersion int, now time.Time) error {
	p.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO persons (sex, birth_precision, birth_min, birth_max, nationality, languages,
		arrived_on, unaccompanied, keys_version, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(p.Sex), string(p.Birth.Precision), nullDate(p.Birth.Min), nullDate(p.Birth.Max), p.Nationality,
		strings.Join(p.Languages, ","), nullDate(p.ArrivedOn), p.Unaccompanied, keysVersion, now, now, p.Version).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: unable to create a person: %w", err)
	}
	return nil
}

// UpdatePerson stores the clear fields of p if the stored person is still at
// p.Version, and moves p to the next version. It returns ENOTFOUND for an
// unknown person and ECONFLICT ("error.stale_version") when the person was
// changed since.
func UpdatePerson(ctx context.Context, tx *Tx, p *cases.Person, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE persons SET sex = ?, birth_precision = ?, birth_min = ?, birth_max = ?,
		nationality = ?, languages = ?, arrived_on = ?, unaccompanied = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		string(p.Sex), string(p.Birth.Precision), nullDate(p.Birth.Min), nullDate(p.Birth.Max), p.Nationality,
		strings.Join(p.Languages, ","), nullDate(p.ArrivedOn), p.Unaccompanied, now, p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update person %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return staleOrMissing(ctx, tx, "persons", "id", p.ID)
	}
	p.Version++
	return nil
}

// SetPersonSeals stores the sealed groups of person id.
func SetPersonSeals(ctx context.Context, tx *Tx, id int64, s PersonSeals) error {
	_, err := tx.Exec(ctx, `UPDATE persons SET identity_sealed = ?, judicial_sealed = ?, religion_sealed = ?,
		sexual_life_sealed = ? WHERE id = ?`, s.Identity, s.Judicial, s.Religion, s.SexualLife, id)
	if err != nil {
		return fmt.Errorf("store: unable to seal person %d: %w", id, err)
	}
	return nil
}

// SetPersonMergedInto records that person id was found to be person keep,
// and moves it to the next version if it is still at version. It returns
// ECONFLICT ("error.stale_version") when it was changed since.
func SetPersonMergedInto(ctx context.Context, tx *Tx, id, keep int64, version int, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE persons SET merged_into = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ? AND merged_into IS NULL`, keep, now, id, version)
	if err != nil {
		return fmt.Errorf("store: unable to merge person %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return staleOrMissing(ctx, tx, "persons", "id", id)
	}
	return nil
}

// FindPerson returns person id as stored, or ENOTFOUND.
func FindPerson(ctx context.Context, tx *Tx, id int64) (*StoredPerson, error) {
	var p StoredPerson
	err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM persons WHERE id = ?`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find person %d: %w", id, err)
	}
	return &p, nil
}

// FindPersons returns the stored persons among ids, in the order of ids;
// ids that name no person are left out.
func FindPersons(ctx context.Context, tx *Tx, ids []int64) ([]StoredPerson, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+personColumns+` FROM persons WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read persons: %w", err)
	}
	defer rows.Close()
	byID := map[int64]StoredPerson{}
	for rows.Next() {
		var p StoredPerson
		if err := scanPerson(rows, &p); err != nil {
			return nil, fmt.Errorf("store: unable to read a person: %w", err)
		}
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]StoredPerson, 0, len(byID))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
			delete(byID, id)
		}
	}
	return out, nil
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// PersonRows are what a person holds in rows of their own: documents (with
// their numbers sealed), permits and links (with their notes sealed).
type PersonRows struct {
	Documents []cases.Document
	Permits   []cases.Permit
	Links     []cases.Link
}

// ListPersonRows returns the documents, permits and links of the persons
// ids, by person, each list in the order it was written.
func ListPersonRows(ctx context.Context, tx *Tx, ids []int64) (map[int64]*PersonRows, error) {
	out := map[int64]*PersonRows{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, id := range ids {
		out[id] = &PersonRows{}
	}
	in, args := placeholders(len(ids)), int64Args(ids)
	rows, err := tx.Query(ctx, `SELECT id, person_id, kind, number_sealed, issuer, issued_on, expires_on
		FROM person_documents WHERE person_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read documents: %w", err)
	}
	for rows.Next() {
		var d cases.Document
		var pid int64
		var issued, expires sql.NullTime
		if err := rows.Scan(&d.ID, &pid, &d.Kind, &d.Number, &d.Issuer, &issued, &expires); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a document: %w", err)
		}
		d.IssuedOn, d.ExpiresOn = day(issued), day(expires)
		out[pid].Documents = append(out[pid].Documents, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT id, person_id, kind, issued_on, expires_on FROM person_permits
		WHERE person_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read permits: %w", err)
	}
	for rows.Next() {
		var q cases.Permit
		var pid int64
		var issued, expires sql.NullTime
		if err := rows.Scan(&q.ID, &pid, &q.Kind, &issued, &expires); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a permit: %w", err)
		}
		q.IssuedOn, q.ExpiresOn = day(issued), day(expires)
		out[pid].Permits = append(out[pid].Permits, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT id, person_id, relation, COALESCE(other_person_id, 0), note_sealed FROM person_links
		WHERE person_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l cases.Link
		var pid int64
		if err := rows.Scan(&l.ID, &pid, &l.Relation, &l.OtherPersonID, &l.Note); err != nil {
			return nil, fmt.Errorf("store: unable to read a link: %w", err)
		}
		out[pid].Links = append(out[pid].Links, l)
	}
	return out, rows.Err()
}

// DeletePersonRows removes the documents, permits and links of person id,
// before they are written again.
func DeletePersonRows(ctx context.Context, tx *Tx, id int64) error {
	for _, table := range []string{"person_documents", "person_permits", "person_links"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE person_id = ?`, id); err != nil {
			return fmt.Errorf("store: unable to clear %s of person %d: %w", table, id, err)
		}
	}
	return nil
}

// InsertPersonDocument stores a document of person id without its number,
// and sets its ID; the caller seals the number, whose aad names the ID, and
// stores it with SetDocumentNumber.
func InsertPersonDocument(ctx context.Context, tx *Tx, id int64, d *cases.Document) error {
	err := tx.QueryRow(ctx, `INSERT INTO person_documents (person_id, kind, issuer, issued_on, expires_on)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, id, d.Kind, d.Issuer, nullDate(d.IssuedOn), nullDate(d.ExpiresOn)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: unable to add a document to person %d: %w", id, err)
	}
	return nil
}

// SetDocumentNumber stores the sealed number of document id.
func SetDocumentNumber(ctx context.Context, tx *Tx, id int64, sealed string) error {
	if _, err := tx.Exec(ctx, `UPDATE person_documents SET number_sealed = ? WHERE id = ?`, sealed, id); err != nil {
		return fmt.Errorf("store: unable to seal document %d: %w", id, err)
	}
	return nil
}

// InsertPersonPermit stores a residence permit of person id and sets its ID.
func InsertPersonPermit(ctx context.Context, tx *Tx, id int64, q *cases.Permit) error {
	err := tx.QueryRow(ctx, `INSERT INTO person_permits (person_id, kind, issued_on, expires_on) VALUES (?, ?, ?, ?)
		RETURNING id`, id, q.Kind, nullDate(q.IssuedOn), nullDate(q.ExpiresOn)).Scan(&q.ID)
	if err != nil {
		return fmt.Errorf("store: unable to add a permit to person %d: %w", id, err)
	}
	return nil
}

// InsertPersonLink stores a family link of person id without its note, and
// sets its ID; the caller seals the note, whose aad names the ID, and
// stores it with SetLinkNote.
func InsertPersonLink(ctx context.Context, tx *Tx, id int64, l *cases.Link) error {
	err := tx.QueryRow(ctx, `INSERT INTO person_links (person_id, relation, other_person_id) VALUES (?, ?, ?)
		RETURNING id`, id, l.Relation, nullID(l.OtherPersonID)).Scan(&l.ID)
	if err != nil {
		return fmt.Errorf("store: unable to add a link to person %d: %w", id, err)
	}
	return nil
}

// SetLinkNote stores the sealed note of link id.
func SetLinkNote(ctx context.Context, tx *Tx, id int64, sealed string) error {
	if _, err := tx.Exec(ctx, `UPDATE person_links SET note_sealed = ? WHERE id = ?`, sealed, id); err != nil {
		return fmt.Errorf("store: unable to seal link %d: %w", id, err)
	}
	return nil
}

// CasePerson is a person's place in a case.
type CasePerson struct {
	CaseID   int64
	PersonID int64
	Role     cases.CaseRole
	AddedAt  time.Time
	// MergedFrom is the person this row belonged to before a merge, or 0.
	MergedFrom int64
}

// InsertCasePerson adds a person to a case. It returns ECONFLICT
// ("error.person.already_in_case") when the person is already in it.
func InsertCasePerson(ctx context.Context, tx *Tx, cp *CasePerson) error {
	_, err := tx.Exec(ctx, `INSERT INTO case_persons (case_id, person_id, role, added_at, merged_from) VALUES (?, ?, ?, ?, ?)`,
		cp.CaseID, cp.PersonID, string(cp.Role), cp.AddedAt, nullID(cp.MergedFrom))
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.person.already_in_case")
	} else if err != nil {
		return fmt.Errorf("store: unable to add person %d to case %d: %w", cp.PersonID, cp.CaseID, err)
	}
	return nil
}

// SetCasePersonRole changes the role of a person in a case.
func SetCasePersonRole(ctx context.Context, tx *Tx, caseID, personID int64, role cases.CaseRole) error {
	_, err := tx.Exec(ctx, `UPDATE case_persons SET role = ? WHERE case_id = ? AND person_id = ?`, string(role), caseID, personID)
	if err != nil {
		return fmt.Errorf("store: unable to change the role of person %d in case %d: %w", personID, caseID, err)
	}
	return nil
}

const casePersonColumns = `case_id, person_id, role, added_at, COALESCE(merged_from, 0)`

func scanCasePerson(row interface{ Scan(...any) error }, cp *CasePerson) error {
	var role string
	var added sql.NullTime
	if err := row.Scan(&cp.CaseID, &cp.PersonID, &role, &added, &cp.MergedFrom); err != nil {
		return err
	}
	cp.Role, cp.AddedAt = cases.CaseRole(role), added.Time
	return nil
}

// casePersonOrder lists the main person first, then children, then
// relatives, each in the order they were added.
const casePersonOrder = ` ORDER BY CASE role WHEN 'main' THEN 0 WHEN 'child' THEN 1 ELSE 2 END, person_id`

// ListCasePersons returns the persons of a case, the main one first.
func ListCasePersons(ctx context.Context, tx *Tx, caseID int64) ([]CasePerson, error) {
	rows, err := tx.Query(ctx, `SELECT `+casePersonColumns+` FROM case_persons WHERE case_id = ?`+casePersonOrder, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the persons of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []CasePerson
	for rows.Next() {
		var cp CasePerson
		if err := scanCasePerson(rows, &cp); err != nil {
			return nil, fmt.Errorf("store: unable to read a person of case %d: %w", caseID, err)
		}
		out = append(out, cp)
	}
	return out, rows.Err()
}

// FindCasePerson returns the place of person personID in case caseID, or
// ENOTFOUND when the person is not in the case.
func FindCasePerson(ctx context.Context, tx *Tx, caseID, personID int64) (*CasePerson, error) {
	var cp CasePerson
	err := scanCasePerson(tx.QueryRow(ctx, `SELECT `+casePersonColumns+` FROM case_persons WHERE case_id = ? AND person_id = ?`,
		caseID, personID), &cp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find person %d in case %d: %w", personID, caseID, err)
	}
	return &cp, nil
}

// CasesOfPersons returns, for each of the persons ids, the cases they are in
// (with their place), and the cases themselves with their teams, by ID.
func CasesOfPersons(ctx context.Context, tx *Tx, ids []int64) (map[int64][]CasePerson, map[int64]*cases.Case, error) {
	places := map[int64][]CasePerson{}
	byID := map[int64]*cases.Case{}
	if len(ids) == 0 {
		return places, byID, nil
	}
	rows, err := tx.Query(ctx, `SELECT `+casePersonColumns+` FROM case_persons WHERE person_id IN (`+placeholders(len(ids))+`)
		ORDER BY case_id`, int64Args(ids)...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to read the cases of persons: %w", err)
	}
	var caseIDs []int64
	for rows.Next() {
		var cp CasePerson
		if err := scanCasePerson(rows, &cp); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: unable to read a case of a person: %w", err)
		}
		places[cp.PersonID] = append(places[cp.PersonID], cp)
		if byID[cp.CaseID] == nil {
			byID[cp.CaseID] = &cases.Case{}
			caseIDs = append(caseIDs, cp.CaseID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	found, err := FindCases(ctx, tx, caseIDs)
	if err != nil {
		return nil, nil, err
	}
	for i := range found {
		byID[found[i].ID] = &found[i]
	}
	return places, byID, nil
}

// FindCases returns the cases among ids with their teams, ordered by ID.
func FindCases(ctx context.Context, tx *Tx, ids []int64) ([]cases.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := placeholders(len(ids)), int64Args(ids)
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read cases: %w", err)
	}
	var out []cases.Case
	index := map[int64]int{}
	for rows.Next() {
		var c cases.Case
		if err := scanCase(rows, &c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unable to read a case: %w", err)
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT case_id, user_id, role, added_at, COALESCE(added_by, 0) FROM case_team
		WHERE case_id IN (`+in+`) ORDER BY case_id, added_at, user_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the teams of cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m cases.Member
		var caseID int64
		var role string
		if err := rows.Scan(&caseID, &m.UserID, &role, &m.AddedAt, &m.AddedBy); err != nil {
			return nil, fmt.Errorf("store: unable to read a team member: %w", err)
		}
		m.Role = cases.TeamRole(role)
		if i, ok := index[caseID]; ok {
			out[i].Team = append(out[i].Team, m)
		}
	}
	return out, rows.Err()
}

// ReplacePersonKeys replaces the blind indexes of person id with keys, made
// by the rules of keysVersion.
func ReplacePersonKeys(ctx context.Context, tx *Tx, id int64, keys [][]byte, keysVersion int) error {
	if err := DeletePersonKeys(ctx, tx, id); err != nil {
		return err
	}
	if err := AddPersonKeys(ctx, tx, id, keys); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE persons SET keys_version = ? WHERE id = ?`, keysVersion, id); err != nil {
		return fmt.Errorf("store: unable to index person %d: %w", id, err)
	}
	return nil
}

// AddPersonKeys stores blind indexes of person id, without repetitions, in
// one statement.
func AddPersonKeys(ctx context.Context, tx *Tx, id int64, keys [][]byte) error {
	seen := map[string]bool{}
	var values []string
	var args []any
	for _, k := range keys {
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		values = append(values, "(?, ?)")
		args = append(args, k, id)
	}
	if len(values) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO person_keys (key, person_id) VALUES `+strings.Join(values, ", "), args...); err != nil {
			return fmt.Errorf("store: unable to index person %d: %w", id, err)
		}
	}
	return nil
}

// DeletePersonKeys removes the blind indexes of person id, so that it is
// found by no search.
func DeletePersonKeys(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM person_keys WHERE person_id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to clear the index of person %d: %w", id, err)
	}
	return nil
}

// Candidate is a person found by blind indexes, with how many of the keys
// looked up they hold.
type Candidate struct {
	PersonID int64
	Hits     int
}

// CandidateFilter narrows the persons FindCandidates returns.
type CandidateFilter struct {
	// BornFrom and BornTo bound the birth dates: a person whose possible
	// birth dates overlap them passes, as does a person whose birth date is
	// unknown. Zero values do not filter.
	BornFrom, BornTo time.Time
	// Nationality lets through persons of that nationality or of an unknown
	// one; "" does not filter.
	Nationality string
	// Exclude lists persons never to return.
	Exclude []int64
	// Scan bounds the persons read from the index, those holding the most
	// keys first, before the filter; Limit bounds those returned.
	Scan, Limit int
}

// CandidatePostings bounds how many persons FindCandidates reads for each
// key, the most recently added first. The keys of two words of a name and a
// birth year are held by few persons, who are all read; a key of one common
// word and a year (every Mohamed born in 2008) is read as far as the bound.
const CandidatePostings = 2000

// FindCandidates returns the persons not merged into another who hold any of
// keys and pass f, those holding the most keys first. It reads only the
// index rows of keys, at most CandidatePostings a key, and at most f.Scan
// persons by their primary key, never the whole table.
func FindCandidates(ctx context.Context, tx *Tx, keys [][]byte, f CandidateFilter) ([]Candidate, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(keys)+8)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, f.Scan)
	where := ` WHERE p.merged_into IS NULL`
	if !f.BornFrom.IsZero() && !f.BornTo.IsZero() {
		where += ` AND (p.birth_min IS NULL OR (p.birth_min <= ? AND p.birth_max >= ?))`
		args = append(args, f.BornTo.UTC(), f.BornFrom.UTC())
	}
	if f.Nationality != "" {
		where += ` AND (p.nationality = '' OR p.nationality = ?)`
		args = append(args, f.Nationality)
	}
	if len(f.Exclude) > 0 {
		where += ` AND p.id NOT IN (` + placeholders(len(f.Exclude)) + `)`
		args = append(args, int64Args(f.Exclude)...)
	}
	args = append(args, f.Limit)
	postingsSQL, postingsArgs := boundedPostings(keys, CandidatePostings, true)
	args = append(postingsArgs, args[len(keys):]...)
	rows, err := tx.Query(ctx, `SELECT c.person_id, c.hits FROM (
			SELECT person_id, COUNT(*) AS hits FROM (`+postingsSQL+`) AS k
			GROUP BY person_id ORDER BY COUNT(*) DESC, person_id LIMIT ?
		) c JOIN persons p ON p.id = c.person_id`+where+` ORDER BY c.hits DESC, c.person_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to look up candidates: %w", err)
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.PersonID, &c.Hits); err != nil {
			return nil, fmt.Errorf("store: unable to read a candidate: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SearchPostings bounds how many persons SearchPersons reads for each key
// of a query: the most recently added first. A key held by more persons
// (a common first name, the first letters of one) finds the most recent of
// them; a query of two words finds every person holding both when either
// word is held by fewer.
const SearchPostings = 400

// SearchPersons returns the places in cases within scope of the persons,
// not merged into another, who hold at least one key of every term: each
// term is the blind indexes of one word of a query. It reads the persons
// of each key of the term held by the fewest, at most SearchPostings a
// key, checks the other terms on each of them, and returns at most limit
// places, of the most recent cases first.
func SearchPersons(ctx context.Context, tx *Tx, terms [][][]byte, scope CaseScope, limit int) ([]CasePerson, error) {
	where, scopeArgs := scope.whereOn("cases")
	if where == "" || len(terms) == 0 {
		return nil, nil
	}
	// The persons of each term, as far as the bound reads them; the term
	// held by the fewest drives.
	var driver []int64
	driverTerm := -1
	for i, term := range terms {
		if len(term) == 0 {
			return nil, nil
		}
		ids, err := postings(ctx, tx, term)
		if err != nil {
			return nil, err
		}
		if driverTerm < 0 || len(ids) < len(driver) {
			driver, driverTerm = ids, i
		}
	}
	if len(driver) == 0 {
		return nil, nil
	}
	if len(driver) > 2*SearchPostings {
		slices.SortFunc(driver, func(a, b int64) int { return cmp.Compare(b, a) })
		driver = driver[:2*SearchPostings]
	}
	// Every term on each person of the driver, then the scope.
	var conds []string
	var args []any
	for _, id := range driver {
		args = append(args, id)
	}
	for i, term := range terms {
		if i == driverTerm {
			continue // every person of the driver holds one of its keys
		}
		conds = append(conds, ` AND EXISTS (SELECT 1 FROM person_keys k WHERE k.person_id = cp.person_id AND k.key IN (`+
			placeholders(len(term))+`))`)
		for _, k := range term {
			args = append(args, k)
		}
	}
	args = append(args, scopeArgs...)
	args = append(args, limit)
	// The persons found are a few hundred; the cases in scope may be
	// hundreds of thousands. Each found person's case is checked against
	// the scope by its key: joined to the cases instead, PostgreSQL scans
	// them all to test the scope.
	rows, err := tx.Query(ctx, `SELECT cp.case_id, cp.person_id, cp.role, cp.added_at, COALESCE(cp.merged_from, 0) FROM case_persons cp
		JOIN persons p ON p.id = cp.person_id
		WHERE cp.person_id IN (`+placeholders(len(driver))+`) AND p.merged_into IS NULL`+strings.Join(conds, "")+
		` AND (SELECT 1 FROM cases WHERE cases.id = cp.case_id AND `+where+`) = 1
		ORDER BY cp.case_id DESC, cp.person_id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to search persons: %w", err)
	}
	defer rows.Close()
	var out []CasePerson
	for rows.Next() {
		var cp CasePerson
		if err := scanCasePerson(rows, &cp); err != nil {
			return nil, fmt.Errorf("store: unable to read a search result: %w", err)
		}
		out = append(out, cp)
	}
	return out, rows.Err()
}

// postings returns the persons holding any of keys, at most SearchPostings
// of each key, the most recent first.
func postings(ctx context.Context, tx *Tx, keys [][]byte) ([]int64, error) {
	query, args := boundedPostings(keys, SearchPostings, false)
	return queryIDs(ctx, tx, query, args...)
}

// boundedPostings returns a query of the persons holding each of keys, at
// most bound of each key, the most recently added first: one backward range
// of the index of person_keys a key. With all, a person is listed once for
// each key they hold; otherwise once.
func boundedPostings(keys [][]byte, bound int, all bool) (string, []any) {
	parts := make([]string, len(keys))
	args := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		parts[i] = `SELECT * FROM (SELECT person_id FROM person_keys WHERE key = ? ORDER BY person_id DESC LIMIT ?) AS k` +
			strconv.Itoa(i)
		args = append(args, k, bound)
	}
	union := " UNION "
	if all {
		union = " UNION ALL "
	}
	return strings.Join(parts, union), args
}

// SearchCaseCodes returns the cases within scope whose code starts with
// prefix (letters compared in upper case), at most limit, by code.
func SearchCaseCodes(ctx context.Context, tx *Tx, prefix string, scope CaseScope, limit int) ([]cases.Case, error) {
	where, args := scope.where()
	if where == "" || prefix == "" {
		return nil, nil
	}
	// Codes are stored in upper case. On SQLite the cases whose code starts
	// with the prefix are a range of the unique index of codes, compared
	// byte by byte, walked in order until enough of them are in scope: the
	// unary + keeps the planner from walking the scope's cases instead,
	// which for an organisation are tens of thousands. On PostgreSQL a LIKE
	// is served by cases_code_prefix (text_pattern_ops), as its collation
	// may order hyphens otherwise.
	prefix = strings.ToUpper(prefix)
	query := `SELECT ` + caseColumns + ` FROM cases WHERE code LIKE ? ESCAPE '\' AND ` + where + ` ORDER BY code LIMIT ?`
	match := []any{strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix) + "%"}
	if tx.Dialect() == SQLite {
		query = `SELECT ` + caseColumns + ` FROM cases WHERE code >= ? AND code < ? AND +` + where + ` ORDER BY code LIMIT ?`
		match = []any{prefix, prefix + "\U0010FFFF"}
	}
	rows, err := tx.Query(ctx, query, append(append(match, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to search case codes: %w", err)
	}
	defer rows.Close()
	var out []cases.Case
	for rows.Next() {
		var c cases.Case
		if err := scanCase(rows, &c); err != nil {
			return nil, fmt.Errorf("store: unable to read a case: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MovePersonRecords gives person keep the documents, permits, links and
// places in cases of person gone, as the last step of finding them to be the
// same person: links between the two are dropped, links of others to gone
// point to keep, and a place in a case that keep already has is dropped (keep
// holds its own). Moved places name gone in MergedFrom. Gone's blind indexes
// are removed, so that searches no longer find it.
func MovePersonRecords(ctx context.Context, tx *Tx, keep, gone int64) error {
	steps := []struct {
		what, query string
		args        []any
	}{
		{"links between them", `DELETE FROM person_links WHERE (person_id = ? AND other_person_id = ?) OR (person_id = ? AND other_person_id = ?)`,
			[]any{gone, keep, keep, gone}},
		{"documents", `UPDATE person_documents SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{"permits", `UPDATE person_permits SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{"links", `UPDATE person_links SET person_id = ? WHERE person_id = ?`, []any{keep, gone}},
		{"links of others", `UPDATE person_links SET other_person_id = ? WHERE other_person_id = ?`, []any{keep, gone}},
		{"shared cases", `DELETE FROM case_persons WHERE person_id = ? AND case_id IN (SELECT case_id FROM case_persons WHERE person_id = ?)`,
			[]any{gone, keep}},
		{"cases", `UPDATE case_persons SET person_id = ?, merged_from = ? WHERE person_id = ?`, []any{keep, gone, gone}},
		{"index", `DELETE FROM person_keys WHERE person_id = ?`, []any{gone}},
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("store: unable to move the %s of person %d to person %d: %w", s.what, gone, keep, err)
		}
	}
	return nil
}
