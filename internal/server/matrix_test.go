package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"approdo/internal/auth"
	"approdo/internal/store"
)

// The route-by-role matrix: every route of the UI and the API, walked by
// every demo user on records inside and outside their scope, must answer as
// the policy table (the rows of role_permissions) says. The expectation is
// computed here from the table and the records' facts read straight from the
// database, not by asking the application's policy, so a handler that
// decides on its own, or forgets to decide, fails.

// facts are what the scopes look at, for a record or an actor.
type facts struct {
	id, ownerID, orgID, areaID, programmeID int64
	team                                    []int64
	// otherOrgIDs are organisations that hold the record too, such as the
	// organisation a referral is sent to.
	otherOrgIDs []int64
	// shared holds, by organisation, the sections of a case that an
	// accepted referral shares with it.
	shared map[int64][]string
}

// mActor is a demo user as the oracle sees them.
type mActor struct {
	username string
	facts
	areaIDs []int64
	led     []int64 // programmes their organisation leads
	grants  map[string][]string
	c       *client
	csrf    string
}

// family is a kind of record that routes name in their path.
type family struct {
	name    string
	param   string // the path parameter that names the record
	matches func(pattern string) bool
	records []facts
	key     func(f facts) string // the path value of a record
	// selfExcluded marks routes that never act on the actor's own account.
	selfExcluded func(method, pattern string) bool
	// nested gives the values of the other path parameters that name a
	// record inside this one, such as a note of a case.
	nested map[int64]map[string]string
}

func idKey(f facts) string { return strconv.FormatInt(f.id, 10) }

func TestEveryRouteObeysThePolicyTable(t *testing.T) {
	skipWalkIfShort(t)
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		ctx := context.Background()
		q := func(query string, args ...any) [][]any {
			var out [][]any
			err := db.Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(ctx, query, args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					if err := rows.Scan(ptrs...); err != nil {
						return err
					}
					out = append(out, vals)
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		num := func(v any) int64 {
			switch x := v.(type) {
			case int64:
				return x
			case int32:
				return int64(x)
			case nil:
				return 0
			}
			n, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
			return n
		}
		str := func(v any) string {
			if b, ok := v.([]byte); ok {
				return string(b)
			}
			return fmt.Sprint(v)
		}

		// The actors: every demo user, signed in, with their roles' rows.
		var actors []*mActor
		for _, row := range q(`SELECT id, username, organisation_id FROM users WHERE active = TRUE ORDER BY id`) {
			a := &mActor{username: str(row[1]), facts: facts{id: num(row[0]), orgID: num(row[2])}, grants: map[string][]string{}}
			for _, r := range q(`SELECT area_id FROM user_areas WHERE user_id = ?`, a.id) {
				a.areaIDs = append(a.areaIDs, num(r[0]))
			}
			for _, r := range q(`SELECT id FROM programmes WHERE lead_org_id = ?`, a.orgID) {
				a.led = append(a.led, num(r[0]))
			}
			for _, r := range q(`SELECT p.verb, p.resource, p.scope FROM role_permissions p
				JOIN user_roles u ON u.role = p.role WHERE u.user_id = ?`, a.id) {
				k := str(r[0]) + ":" + str(r[1])
				a.grants[k] = append(a.grants[k], str(r[2]))
			}
			a.c = e.client()
			a.c.login(a.username)
			a.csrf = a.c.token("/")
			actors = append(actors, a)
		}

		// The records, a few of each kind, chosen so that every actor has
		// some inside and some outside their scope.
		var caseRecords []facts
		// A case with an accepted referral joins them, so that the walk
		// meets the recipient's reading of the shared sections; it holds
		// fewer records of its own, and only those it holds are walked.
		referredOnly := map[int64]bool{}
		for _, row := range q(`SELECT MIN(case_id) FROM referrals WHERE state = 'accepted'
			AND case_id NOT IN (SELECT MIN(id) FROM cases GROUP BY owner_org_id, kind)`) {
			if row[0] != nil {
				referredOnly[num(row[0])] = true
			}
		}
		for _, row := range q(`SELECT MIN(id) FROM cases GROUP BY owner_org_id, kind
			UNION SELECT MIN(case_id) FROM referrals WHERE state = 'accepted' ORDER BY 1`) {
			id := num(row[0])
			r := q(`SELECT owner_org_id, area_id, COALESCE(programme_id, 0), COALESCE(case_worker_id, 0) FROM cases WHERE id = ?`, id)[0]
			f := facts{id: id, orgID: num(r[0]), areaID: num(r[1]), programmeID: num(r[2]), ownerID: num(r[3])}
			for _, m := range q(`SELECT user_id FROM case_team WHERE case_id = ?`, id) {
				f.team = append(f.team, num(m[0]))
			}
			for _, sh := range q(`SELECT to_org_id, sections FROM referrals WHERE case_id = ? AND state = 'accepted'
				AND consent_revoked_at IS NULL`, id) {
				if f.shared == nil {
					f.shared = map[int64][]string{}
				}
				f.shared[num(sh[0])] = append(f.shared[num(sh[0])], strings.Split(str(sh[1]), ",")...)
			}
			caseRecords = append(caseRecords, f)
		}
		// Notes, attachments, persons, tasks and sections of the assessment
		// are named inside their case: a team note outside any sensitive
		// group, which everyone who reads the case reads, an attachment of
		// such a note, a person of the case, an open task and the social
		// history.
		caseNested := map[int64]map[string]string{}
		for _, f := range caseRecords {
			m := map[string]string{"{note}": "99999999", "{attachment}": "99999999", "{pid}": "99999999", "{task}": "99999999",
				"{section}": "social_history", "{step}": "cancel"}
			m["{booking}"] = "99999999" // a case without bookings: its cancel is judged on the input first
			if referredOnly[f.id] {
				m = map[string]string{"{section}": "social_history", "{step}": "cancel"}
			}
			for param, query := range map[string]string{
				"{pid}":          `SELECT MIN(person_id) FROM case_persons WHERE case_id = ?`,
				"{task}":         `SELECT MIN(id) FROM case_tasks WHERE case_id = ? AND state = 'open'`,
				"{booking}":      `SELECT MIN(id) FROM mediation_bookings WHERE case_id = ?`,
				"{referral}":     `SELECT MIN(id) FROM referrals WHERE case_id = ?`,
				"{consultation}": `SELECT MIN(id) FROM consultations WHERE case_id = ?`,
				"{note}": `SELECT MIN(id) FROM case_notes WHERE case_id = ? AND confidentiality = 'team' AND field_group = ''
					AND corrects_id IS NULL`,
				"{attachment}": `SELECT MIN(a.id) FROM attachments a JOIN case_notes n ON n.id = a.note_id
					WHERE a.case_id = ? AND n.confidentiality = 'team' AND n.field_group = ''`,
			} {
				if r := q(query, f.id); len(r) > 0 && r[0][0] != nil {
					m[param] = strconv.FormatInt(num(r[0][0]), 10)
				}
			}
			caseNested[f.id] = m
		}
		// Meetings: their organiser owns them, their participants are their
		// team.
		var meetingRecords []facts
		for _, row := range q(`SELECT id, organiser_id FROM meetings ORDER BY id`) {
			f := facts{id: num(row[0]), ownerID: num(row[1])}
			for _, p := range q(`SELECT user_id FROM meeting_participants WHERE meeting_id = ?`, f.id) {
				f.team = append(f.team, num(p[0]))
			}
			meetingRecords = append(meetingRecords, f)
		}
		var userRecords []facts
		for _, row := range q(`SELECT id, organisation_id FROM users ORDER BY id`) {
			userRecords = append(userRecords, facts{id: num(row[0]), ownerID: num(row[0]), orgID: num(row[1])})
		}
		var orgRecords, areaRecords, programmeRecords, roleRecords, tokenRecords []facts
		for _, row := range q(`SELECT id, COALESCE(area_id, 0) FROM organisations ORDER BY id LIMIT 4`) {
			orgRecords = append(orgRecords, facts{id: num(row[0]), orgID: num(row[0]), areaID: num(row[1])})
		}
		for _, row := range q(`SELECT id FROM areas ORDER BY id LIMIT 3`) {
			areaRecords = append(areaRecords, facts{id: num(row[0]), areaID: num(row[0])})
		}
		for _, row := range q(`SELECT id, lead_org_id FROM programmes ORDER BY id LIMIT 3`) {
			programmeRecords = append(programmeRecords, facts{id: num(row[0]), orgID: num(row[1]), programmeID: num(row[0])})
		}
		roleCodes := map[int64]string{}
		for i, row := range q(`SELECT code FROM roles ORDER BY code LIMIT 3`) {
			roleCodes[int64(i+1)] = str(row[0])
			roleRecords = append(roleRecords, facts{id: int64(i + 1)})
		}
		// Two tokens of two users, for the token routes.
		for _, who := range []string{"operatore", "capofila"} {
			for _, a := range actors {
				if a.username == who {
					a.c.createToken("matrix", 30)
				}
			}
		}
		for _, row := range q(`SELECT id, user_id FROM api_tokens ORDER BY id`) {
			tokenRecords = append(tokenRecords, facts{id: num(row[0]), ownerID: num(row[1])})
		}
		// Reports: one per service addressed and reporter, so that reporters
		// meet their own and others' reports, and services their own and
		// other services'.
		var reportRecords []facts
		for _, row := range q(`SELECT MIN(id) FROM reports GROUP BY addressed_org_id, COALESCE(reporter_user_id, 0) ORDER BY 1`) {
			r := q(`SELECT COALESCE(reporter_user_id, 0), addressed_org_id, area_id FROM reports WHERE id = ?`, num(row[0]))[0]
			reportRecords = append(reportRecords, facts{id: num(row[0]), ownerID: num(r[0]), orgID: num(r[1]), areaID: num(r[2])})
		}
		// Transfers are held by the organisation asked until it decides;
		// working lists are their owner's.
		var transferRecords, listRecords []facts
		for _, row := range q(`SELECT id, to_org_id FROM case_transfers ORDER BY id`) {
			transferRecords = append(transferRecords, facts{id: num(row[0]), orgID: num(row[1])})
		}
		for _, row := range q(`SELECT id, user_id FROM saved_lists ORDER BY id`) {
			listRecords = append(listRecords, facts{id: num(row[0]), ownerID: num(row[1])})
		}
		// Checklists are named by their code.
		setCodes := map[int64]string{}
		var setRecords []facts
		for i, row := range q(`SELECT code FROM indicator_sets ORDER BY code LIMIT 2`) {
			setCodes[int64(i+1)] = str(row[0])
			setRecords = append(setRecords, facts{id: int64(i + 1)})
		}
		// Entries of the catalogue of interventions, too.
		interventionCodes := map[int64]string{}
		var interventionRecords []facts
		for i, row := range q(`SELECT code FROM interventions ORDER BY code LIMIT 2`) {
			interventionCodes[int64(i+1)] = str(row[0])
			interventionRecords = append(interventionRecords, facts{id: int64(i + 1)})
		}

		// Rules of the clocks, the network's, named by their code.
		ruleCodes := map[int64]string{}
		var ruleRecords []facts
		for i, row := range q(`SELECT code FROM deadline_rules WHERE programme_id IS NULL ORDER BY code LIMIT 2`) {
			ruleCodes[int64(i+1)] = str(row[0])
			ruleRecords = append(ruleRecords, facts{id: int64(i + 1)})
		}

		// Services of the directory: one of each of a few organisations, so
		// that coordinators and social workers meet their own and others'.
		var serviceRecords []facts
		for _, row := range q(`SELECT MIN(s.id), s.organisation_id FROM services s JOIN organisations o ON o.id = s.organisation_id
			WHERE o.code IN ('RT', 'SDS-PRATO', 'COM-VIAREGGIO', 'USL-TSE') GROUP BY s.organisation_id ORDER BY 1`) {
			serviceRecords = append(serviceRecords, facts{id: num(row[0]), orgID: num(row[1])})
		}

		// Referrals: read by their case's readers and by the sending and
		// receiving organisations; answered by the receiving one.
		var referralRecords, referralAnswers []facts
		for _, row := range q(`SELECT r.id, r.from_org_id, r.to_org_id, c.area_id, COALESCE(c.programme_id, 0), COALESCE(c.case_worker_id, 0), c.id
			FROM referrals r JOIN cases c ON c.id = r.case_id ORDER BY r.id`) {
			f := facts{id: num(row[0]), orgID: num(row[1]), otherOrgIDs: []int64{num(row[2])}, areaID: num(row[3]),
				programmeID: num(row[4]), ownerID: num(row[5])}
			for _, m := range q(`SELECT user_id FROM case_team WHERE case_id = ?`, num(row[6])) {
				f.team = append(f.team, num(m[0]))
			}
			referralRecords = append(referralRecords, f)
			referralAnswers = append(referralAnswers, facts{id: f.id, orgID: num(row[2])})
		}
		referralSteps := map[int64]map[string]string{}
		for _, f := range referralAnswers {
			referralSteps[f.id] = map[string]string{"{step}": "accept"}
		}

		// Bookings of mediators: one per requesting organisation and
		// mediator, held by the requesting organisation, owned by their
		// mediator, in their case's area and programme; and a few profiles
		// of the registry, owned by their mediator.
		var bookingRecords, mediatorRecords []facts
		for _, row := range q(`SELECT MIN(id) FROM mediation_bookings GROUP BY requester_org_id, COALESCE(mediator_id, 0) ORDER BY 1`) {
			r := q(`SELECT b.requester_org_id, COALESCE(m.user_id, 0), c.area_id, COALESCE(c.programme_id, 0)
				FROM mediation_bookings b JOIN cases c ON c.id = b.case_id LEFT JOIN mediators m ON m.id = b.mediator_id
				WHERE b.id = ?`, num(row[0]))[0]
			bookingRecords = append(bookingRecords, facts{id: num(row[0]), orgID: num(r[0]), ownerID: num(r[1]), areaID: num(r[2]),
				programmeID: num(r[3])})
		}
		for _, row := range q(`SELECT m.id, m.user_id, u.organisation_id FROM mediators m JOIN users u ON u.id = m.user_id ORDER BY m.id LIMIT 3`) {
			mediatorRecords = append(mediatorRecords, facts{id: num(row[0]), ownerID: num(row[1]), orgID: num(row[2])})
		}

		// A job that failed after every attempt, which administrators list
		// and retry.
		var jobRecords []facts
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := store.EnqueueJob(ctx, tx, &store.Job{Kind: store.JobMailNotification, Key: "notification:matrix"})
			if err == nil {
				_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'failed', attempts = 10 WHERE job_key = 'notification:matrix'`)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range q(`SELECT id FROM jobs WHERE state = 'failed' ORDER BY id LIMIT 1`) {
			jobRecords = append(jobRecords, facts{id: num(row[0])})
		}

		// readsShared reports whether a reads the page of pattern, of case
		// r, because an accepted referral shares it with a's organisation:
		// the case page itself, and the sections shared.
		readsShared := func(a *mActor, r facts, pattern string) bool {
			sections := r.shared[a.orgID]
			if len(sections) == 0 || len(a.grants["read:referral"]) == 0 {
				return false
			}
			rest, ok := strings.CutPrefix(pattern, "/cases/{id}")
			if !ok {
				rest, ok = strings.CutPrefix(pattern, "/api/v1/cases/{id}")
			}
			section, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
			return ok && (section == "" || slices.Contains(sections, section))
		}

		adminAccount := func(method, pattern string) bool {
			return method != "GET" && (strings.HasPrefix(pattern, "/admin/users/{id}") || strings.HasPrefix(pattern, "/api/v1/users/{id}")) ||
				strings.Contains(pattern, "second-factor/reset") || strings.HasSuffix(pattern, "/admin/users/{id}/edit")
		}
		families := []family{
			{name: "case", param: "{id}", records: caseRecords, key: idKey, nested: caseNested,
				matches: func(p string) bool { return strings.Contains(p, "/cases/{id}") }},
			{name: "user", param: "{id}", records: userRecords, key: idKey, selfExcluded: adminAccount,
				matches: func(p string) bool { return strings.Contains(p, "/users/{id}") }},
			{name: "organisation", param: "{id}", records: orgRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/organisations/{id}") }},
			{name: "area", param: "{id}", records: areaRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/areas/{id}") }},
			{name: "programme", param: "{id}", records: programmeRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/programmes/{id}") }},
			{name: "role", param: "{code}", records: roleRecords, key: func(f facts) string { return roleCodes[f.id] },
				matches: func(p string) bool { return strings.Contains(p, "/roles/{code}") }},
			{name: "report", param: "{id}", records: reportRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/reports/{id}") }},
			{name: "indicator_set", param: "{set}", records: setRecords, key: func(f facts) string { return setCodes[f.id] },
				matches: func(p string) bool { return strings.Contains(p, "/indicator-sets/{set}") }},
			{name: "intervention", param: "{code}", records: interventionRecords, key: func(f facts) string { return interventionCodes[f.id] },
				matches: func(p string) bool { return strings.Contains(p, "/interventions/{code}") }},
			{name: "deadline_rule", param: "{code}", records: ruleRecords, key: func(f facts) string { return ruleCodes[f.id] },
				matches: func(p string) bool { return strings.Contains(p, "/deadline-rules/{code}") }},
			{name: "token", param: "{id}", records: tokenRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/tokens/{id}") }},
			{name: "transfer", param: "{id}", records: transferRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/transfers/{id}") }},
			{name: "saved_list", param: "{id}", records: listRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/saved-lists/{id}") }},
			{name: "mediation_booking", param: "{booking}", records: bookingRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/mediation/bookings/{booking}") }},
			{name: "mediator", param: "{mediator}", records: mediatorRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/mediators/{mediator}") }},
			{name: "service", param: "{service}", records: serviceRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/services/{service}") }},
			{name: "referral", param: "{referral}", records: referralRecords, key: idKey,
				matches: func(p string) bool {
					return strings.HasPrefix(p, "/referrals/{referral}") || strings.HasPrefix(p, "/api/v1/referrals/{referral}")
				}},
			{name: "meeting", param: "{meeting}", records: meetingRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/meetings/{meeting}") }},
			{name: "job", param: "{job}", records: jobRecords, key: idKey,
				matches: func(p string) bool { return strings.Contains(p, "/jobs/{job}") }},
			{name: "referral_answer", param: "{referral}", records: referralAnswers, key: idKey, nested: referralSteps,
				matches: func(p string) bool {
					return strings.HasSuffix(p, "referrals/{referral}/{step}") && !strings.Contains(p, "/cases/")
				}},
		}

		// within is the oracle's reading of a scope, from the facts alone.
		within := func(a *mActor, scope string, r facts) bool {
			switch scope {
			case "network":
				return true
			case "own":
				return r.ownerID != 0 && r.ownerID == a.id
			case "organisation":
				return r.orgID != 0 && r.orgID == a.orgID || slices.Contains(r.otherOrgIDs, a.orgID)
			case "area":
				return r.areaID != 0 && slices.Contains(a.areaIDs, r.areaID)
			case "programme":
				return r.programmeID != 0 && slices.Contains(a.led, r.programmeID)
			case "team":
				return slices.Contains(r.team, a.id)
			}
			return false
		}
		gateAdmits := func(a *mActor, g auth.Gate) bool {
			if len(g.Needs) == 0 {
				return true
			}
			for _, n := range g.Needs {
				if len(a.grants[string(n.Verb)+":"+string(n.Resource)]) > 0 {
					return true
				}
			}
			return false
		}
		recordAllows := func(a *mActor, g auth.Gate, r facts) bool {
			if len(g.Needs) == 0 {
				return r.ownerID == a.id
			}
			for _, n := range g.Needs {
				for _, s := range a.grants[string(n.Verb)+":"+string(n.Resource)] {
					if within(a, s, r) {
						return true
					}
				}
			}
			return false
		}

		// session routes end or change the walker's own session: they are
		// tested on their own, not walked.
		skip := func(pattern string) bool {
			for _, s := range []string{"/logout", "/api/v1/session", "/api/v1/sessions", "/language", "/login",
				"/invitation/", "/second-factor/reset"} {
				if strings.Contains(pattern, s) && !strings.Contains(pattern, "/users/{id}/second-factor/reset") {
					return true
				}
			}
			return false
		}

		type call struct {
			method, path, pattern string
			want                  bool // allowed by the table
			self                  bool // on the actor's own account, which a clear 422 may refuse
		}
		var calls []call
		var walked int
		routes := e.server.Routes()
		// GETs first, then the unsafe calls, so that a refused or invalid
		// change cannot disturb the reads.
		slices.SortStableFunc(routes, func(x, y auth.Route) int {
			return strings.Compare(strconv.FormatBool(!strings.HasPrefix(x.Pattern, "GET ")), strconv.FormatBool(!strings.HasPrefix(y.Pattern, "GET ")))
		})
		for _, a := range actors {
			for _, rt := range routes {
				method, pattern, _ := strings.Cut(rt.Pattern, " ")
				if rt.Gate.Public || skip(pattern) {
					continue
				}
				pattern = strings.Replace(pattern, "{$}", "", 1)
				var fam *family
				for i := range families {
					if families[i].matches(pattern) {
						fam = &families[i]
					}
				}
				if fam == nil {
					if strings.Contains(pattern, "{") && !strings.Contains(pattern, "{$}") {
						t.Fatalf("route %s names a record the matrix has no family for: add one", rt.Pattern)
					}
					calls = append(calls, call{method, pattern, pattern, gateAdmits(a, rt.Gate), false})
					continue
				}
				for _, r := range fam.records {
					want := gateAdmits(a, rt.Gate) && recordAllows(a, rt.Gate, r) ||
						method == "GET" && gateAdmits(a, rt.Gate) && readsShared(a, r, pattern)
					self := fam.selfExcluded != nil && fam.selfExcluded(method, pattern) && r.id == a.id
					if self {
						want = false
					}
					path := strings.Replace(pattern, fam.param, fam.key(r), 1)
					for param, value := range fam.nested[r.id] {
						path = strings.Replace(path, param, value, 1)
					}
					if strings.Contains(path, "{") {
						// The record holds none of the records the route
						// names inside it, such as a case without referrals.
						continue
					}
					calls = append(calls, call{method, path, pattern, want, self})
				}
				// A guessed id names nothing: 404 for everyone, whatever
				// their rights.
				guess := "99999999"
				if fam.param == "{code}" {
					guess = "no_such_role"
				}
				path := strings.Replace(pattern, fam.param, guess, 1)
				for _, param := range []string{"{note}", "{attachment}", "{pid}", "{task}", "{section}", "{referral}", "{step}", "{booking}", "{consultation}"} {
					path = strings.Replace(path, param, guess, 1)
				}
				if strings.Contains(path, "{") {
					t.Fatalf("route %s names a record the matrix cannot fill in: add it to its family", rt.Pattern)
				}
				calls = append(calls, call{method, path, pattern, false, false})
			}
			for _, c := range calls {
				walked++
				status := a.request(t, e, c.method, c.path)
				switch {
				case status == http.StatusForbidden:
					t.Errorf("%s %s as %s: 403; a refusal must be 404", c.method, c.path, a.username)
				case c.self && status == http.StatusUnprocessableEntity:
					// Refusing to act on one's own account with a clear
					// message leaks nothing.
				case !c.want && status != http.StatusNotFound:
					t.Errorf("%s %s as %s: %d, but the policy table refuses it (want 404)", c.method, c.path, a.username, status)
				case c.want && (status == http.StatusNotFound || status == http.StatusUnauthorized):
					t.Errorf("%s %s as %s: %d, but the policy table allows it", c.method, c.path, a.username, status)
				case c.want && status == http.StatusConflict && (strings.HasSuffix(c.pattern, "/project/document") ||
					strings.HasSuffix(c.pattern, "/project/summary")):
					// A case whose project has no approved version has
					// nothing to print.
				case c.want && c.method == "GET" && status != http.StatusOK:
					t.Errorf("%s %s as %s: %d, want 200", c.method, c.path, a.username, status)
				}
			}
			calls = calls[:0]
		}
		if walked < 1000 {
			t.Fatalf("the matrix walked only %d calls", walked)
		}
		t.Logf("walked %d calls over %d routes and %d users", walked, len(routes), len(actors))
	})
}

// request makes one call as the actor, with an empty body and the
// anti-forgery token, signing in again if an earlier call (such as an
// administrator resetting this user's second factor) ended the session.
func (a *mActor) request(t *testing.T, e *env, method, path string) int {
	t.Helper()
	for attempt := 0; attempt < 2; attempt++ {
		var r response
		switch {
		case method == "GET":
			r = a.c.get(path)
		case strings.HasPrefix(path, "/api/"):
			r = a.c.do(method, path, strings.NewReader(`{}`), map[string]string{"Content-Type": "application/json", "X-CSRF-Token": a.csrf})
		default:
			r = a.c.do(method, path, strings.NewReader("csrf_token="+a.csrf), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		}
		signedOut := r.status == http.StatusUnauthorized || r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login") ||
			r.status == http.StatusForbidden && a.c.get("/api/v1/me").status == http.StatusUnauthorized
		if !signedOut || attempt > 0 {
			return r.status
		}
		a.c = e.client()
		a.c.login(a.username)
		a.csrf = a.c.token("/")
	}
	return 0
}
