package admin_test

import (
	"context"
	"testing"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/admin"
	"approdo/internal/auth"
	"approdo/internal/demo"
	"approdo/internal/i18n"
	"approdo/internal/store"
	"approdo/internal/store/storetest"
	"approdo/network"
)

// fixture is a demo network with its administration service.
type fixture struct {
	t   *testing.T
	db  *store.DB
	svc *admin.Service
	ctx context.Context
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, svc: admin.New(db, auth.NewRoleBook(db)), ctx: ctx}
}

// actor returns the demo user username as an actor holding the given
// roles, or their own when none are given.
func (f *fixture) actor(username string, roles ...*access.Role) *auth.Actor {
	f.t.Helper()
	var a auth.Actor
	err := f.db.Read(f.ctx, func(tx *store.Tx) error {
		var id int64
		if err := tx.QueryRow(f.ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
			return err
		}
		u, err := store.FindUser(f.ctx, tx, id)
		if err != nil {
			return err
		}
		org, err := store.FindOrganisation(f.ctx, tx, u.OrganisationID)
		if err != nil {
			return err
		}
		if len(roles) == 0 {
			for _, code := range u.Roles {
				r, err := store.FindRole(f.ctx, tx, code)
				if err != nil {
					return err
				}
				roles = append(roles, r)
			}
		}
		a.User, a.Organisation, a.Grants = *u, *org, auth.NewGrants(org.Kind, roles)
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return &a
}

func (f *fixture) orgID(code string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.Read(f.ctx, func(tx *store.Tx) error {
		return tx.QueryRow(f.ctx, `SELECT id FROM organisations WHERE code = ?`, code).Scan(&id)
	}); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) auditCount() int {
	f.t.Helper()
	var n int
	if err := f.db.Read(f.ctx, func(tx *store.Tx) error {
		return tx.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n)
	}); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// fieldOf returns the first field at fault in err.
func fieldOf(err error) string {
	if fs := approdo.ErrorFields(err); len(fs) > 0 {
		return fs[0].Field
	}
	return ""
}

func TestBudgetLinesKeepTheirIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.actor("admin")
		p := &network.Programme{Code: "BUDGET", Name: "Bilancio", Funder: "FAMI", StartsOn: day("2025-01-01"), EndsOn: day("2025-12-31"),
			LeadOrgID: f.orgID("RT"), BudgetLines: []network.BudgetLine{
				{Code: "A.1", Label: "Uno", AmountCents: 100}, {Code: "A.2", Label: "Due", AmountCents: 200, OrganisationID: f.orgID("SPES")}}}
		if err := f.svc.CreateProgramme(f.ctx, a, p); err != nil {
			t.Fatal(err)
		}
		one, two := p.BudgetLines[0].ID, p.BudgetLines[1].ID
		if one == 0 || two == 0 || p.BudgetCents() != 300 {
			t.Fatalf("created lines: %+v", p.BudgetLines)
		}
		// Swap the codes of the two lines, drop none, add one.
		edit := *p
		edit.BudgetLines = []network.BudgetLine{
			{ID: two, Code: "A.1", Label: "Due", AmountCents: 200, OrganisationID: f.orgID("SPES")},
			{ID: one, Code: "A.2", Label: "Uno", AmountCents: 150},
			{Code: "B.1", Label: "Tre", AmountCents: 0},
		}
		if err := f.svc.UpdateProgramme(f.ctx, a, &edit); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Programme(f.ctx, a, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.BudgetLines) != 3 || got.BudgetLines[0].ID != two || got.BudgetLines[0].Code != "A.1" ||
			got.BudgetLines[1].ID != one || got.BudgetLines[1].AmountCents != 150 || got.Version != 2 {
			t.Fatalf("lines after the edit: %+v (version %d)", got.BudgetLines, got.Version)
		}
		// Dropping a line removes it; a line of another programme is refused.
		edit = *got
		edit.BudgetLines = got.BudgetLines[:1]
		if err := f.svc.UpdateProgramme(f.ctx, a, &edit); err != nil {
			t.Fatal(err)
		}
		other, err := f.svc.Programmes(f.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		foreign := int64(0)
		for _, x := range other {
			if x.ID != p.ID && len(x.BudgetLines) > 0 {
				foreign = x.BudgetLines[0].ID
			}
		}
		edit.BudgetLines = append(edit.BudgetLines, network.BudgetLine{ID: foreign, Code: "Z.9", Label: "Altrui", AmountCents: 1})
		before := f.auditCount()
		err = f.svc.UpdateProgramme(f.ctx, a, &edit)
		if approdo.ErrorCode(err) != approdo.EINVALID || fieldOf(err) != "budget_lines.1.id" {
			t.Fatalf("a line of another programme: %v", err)
		}
		if f.auditCount() != before {
			t.Fatal("a refused edit was audited")
		}
	})
}

func TestEditsNameTheirVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.actor("admin")
		o := &network.Organisation{Code: "VERS", Name: "Versioni", Kind: network.School}
		if err := f.svc.CreateOrganisation(f.ctx, a, o); err != nil {
			t.Fatal(err)
		}
		first, second := *o, *o
		first.Name = "Prima"
		if err := f.svc.UpdateOrganisation(f.ctx, a, &first); err != nil || first.Version != 2 {
			t.Fatalf("first edit: %v, version %d", err, first.Version)
		}
		second.Name = "Seconda"
		if err := f.svc.UpdateOrganisation(f.ctx, a, &second); !admin.IsStale(err) {
			t.Fatalf("an edit from version 1 after version 2: %v", err)
		}
		// An edit that changes nothing writes nothing.
		before := f.auditCount()
		same := first
		if err := f.svc.UpdateOrganisation(f.ctx, a, &same); err != nil || same.Version != 2 || f.auditCount() != before {
			t.Fatalf("an empty edit: %v, version %d, %d new audit entries", err, same.Version, f.auditCount()-before)
		}
		got, _ := f.svc.Organisation(f.ctx, a, o.ID)
		if got.Name != "Prima" {
			t.Fatalf("the name is %q", got.Name)
		}

		r, err := f.svc.Role(f.ctx, a, network.Mediator)
		if err != nil {
			t.Fatal(err)
		}
		stale := *r.Role
		stale.Version = 0
		if err := f.svc.UpdateRole(f.ctx, a, &stale); !admin.IsStale(err) {
			t.Fatalf("a stale role edit: %v", err)
		}
	})
}

func TestInvitationsExpireAndWorkOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		now := time.Now()
		f.svc.Now = func() time.Time { return now }
		a := f.actor("admin")
		invite := func(username string) *admin.Invitation {
			t.Helper()
			inv, err := f.svc.InviteUser(f.ctx, a, &network.User{Username: username, DisplayName: "Persona", OrganisationID: f.orgID("RT"),
				Roles: []network.Role{network.Reporter}})
			if err != nil {
				t.Fatal(err)
			}
			return inv
		}
		inv := invite("una.volta")
		if u, err := f.svc.Invitee(f.ctx, inv.Token); err != nil || u.Username != "una.volta" {
			t.Fatalf("invitee: %v", err)
		}
		if _, err := f.svc.AcceptInvitation(f.ctx, inv.Token, "corta"); approdo.ErrorCode(err) != approdo.EINVALID || fieldOf(err) != "password" {
			t.Fatalf("a short password: %v", err)
		}
		if _, err := f.svc.AcceptInvitation(f.ctx, inv.Token, "una password lunga e sicura"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AcceptInvitation(f.ctx, inv.Token, "un'altra password lunga"); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("a used invitation: %v", err)
		}
		sessions := auth.NewSessions(db, auth.NewRoleBook(db))
		if _, err := sessions.Login(f.ctx, auth.Attempt{Username: "una.volta", Password: "una password lunga e sicura"}); err != nil {
			t.Fatalf("sign in with the chosen password: %v", err)
		}

		late := invite("in.ritardo")
		now = now.Add(f.svc.InvitationTTL + time.Second)
		if _, err := f.svc.Invitee(f.ctx, late.Token); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("an expired invitation: %v", err)
		}
		if _, err := f.svc.AcceptInvitation(f.ctx, late.Token, "una password lunga e sicura"); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("accepting an expired invitation: %v", err)
		}
	})
}

func TestAssigningRolesNeedsTheRightToChangeRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// A manager of the users of their own organisation, who may not
		// change roles.
		manager := &access.Role{Code: "user_manager", Name: "Gestore utenti", Permissions: []access.Permission{
			{Verb: access.List, Resource: access.Users, Scope: access.OwnOrg},
			{Verb: access.Read, Resource: access.Users, Scope: access.OwnOrg},
			{Verb: access.Create, Resource: access.Users, Scope: access.OwnOrg},
			{Verb: access.Update, Resource: access.Users, Scope: access.OwnOrg},
		}}
		a := f.actor("capofila", manager)
		users, err := f.svc.Users(f.ctx, a, admin.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.OrganisationID != a.Organisation.ID {
				t.Errorf("the manager lists %s of another organisation", u.Username)
			}
		}
		if len(users) < 2 {
			t.Fatalf("the manager lists %d users of their organisation", len(users))
		}
		_, err = f.svc.InviteUser(f.ctx, a, &network.User{Username: "nuova", DisplayName: "Nuova", OrganisationID: a.Organisation.ID,
			Roles: []network.Role{network.Administrator}})
		if approdo.ErrorCode(err) != approdo.EINVALID || fieldOf(err) != "roles" {
			t.Fatalf("a manager who gives a role: %v", err)
		}
		var colleague admin.UserRecord
		for _, u := range users {
			if u.ID != a.User.ID {
				colleague = u
			}
		}
		edit := colleague.User
		edit.Profession = "Statistica senior"
		if err := f.svc.UpdateUser(f.ctx, a, &edit); err != nil {
			t.Fatalf("a manager edits a profile: %v", err)
		}
		edit.Roles = []network.Role{network.Administrator}
		if err := f.svc.UpdateUser(f.ctx, a, &edit); approdo.ErrorCode(err) != approdo.EINVALID || fieldOf(err) != "roles" {
			t.Fatalf("a manager who makes someone administrator: %v", err)
		}
		// Outside their organisation they reach nobody; their own account
		// is not theirs to manage here.
		outsider, err := f.svc.Users(f.ctx, f.actor("admin"), admin.UserFilter{Query: "assistente.sociale"})
		if err != nil || len(outsider) != 1 {
			t.Fatal(err)
		}
		if err := f.svc.UpdateUser(f.ctx, a, &outsider[0].User); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("a manager edits someone of another organisation: %v", err)
		}
		self := a.User
		if err := f.svc.UpdateUser(f.ctx, a, &self); approdo.ErrorCode(err) != approdo.ENOTFOUND {
			t.Fatalf("a manager edits their own account: %v", err)
		}
	})
}

func TestNobodyLocksEverybodyOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.actor("admin")
		admins, err := f.svc.Users(f.ctx, a, admin.UserFilter{Role: network.Administrator})
		if err != nil || len(admins) != 1 {
			t.Fatalf("administrators: %v %d", err, len(admins))
		}
		self := admins[0].User
		self.Roles = []network.Role{network.Reporter}
		// Nobody manages their own account here, so a second administrator
		// takes the role away.
		second := f.actor("osservatorio", func() *access.Role {
			r, _ := f.svc.Role(f.ctx, a, network.Administrator)
			return r.Role
		}())
		err = f.svc.UpdateUser(f.ctx, second, &self)
		if approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("taking away the last administrator: %v", err)
		}
		if key, _ := approdo.ErrorMessage(err); key != "error.last_administrator" {
			t.Fatalf("message %q", key)
		}
		if _, err := f.svc.SetUserActive(f.ctx, second, self.ID, self.Version, false); approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("deactivating the last administrator: %v", err)
		}
		if _, err := f.svc.SetUserActive(f.ctx, a, self.ID, self.Version, false); approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("deactivating oneself: %v", err)
		}
		u, err := f.svc.User(f.ctx, a, self.ID)
		if err != nil || !u.Active || !u.Has(network.Administrator) {
			t.Fatalf("the administrator changed: %+v %v", u, err)
		}
	})
}

func TestCustomRolesGoOnlyWhenNobodyHoldsThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.actor("admin")
		r := &access.Role{Code: "visitatore", Name: "Visitatore", Permissions: []access.Permission{
			{Verb: access.Read, Resource: access.Directory, Scope: access.Network}}}
		if err := f.svc.CreateRole(f.ctx, a, r); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.InviteUser(f.ctx, a, &network.User{Username: "ospite", DisplayName: "Ospite", OrganisationID: f.orgID("RT"),
			Roles: []network.Role{"visitatore"}}); err != nil {
			t.Fatal(err)
		}
		err := f.svc.DeleteRole(f.ctx, a, "visitatore", r.Version)
		if key, _ := approdo.ErrorMessage(err); key != "error.role_held" {
			t.Fatalf("deleting a held role: %v", err)
		}
		if err := f.svc.DeleteRole(f.ctx, a, network.Reporter, 1); approdo.ErrorCode(err) != approdo.EINVALID {
			t.Fatalf("deleting a built-in role: %v", err)
		}
		// A built-in role can change, and keeps its catalogue name.
		rep, err := f.svc.Role(f.ctx, a, network.Reporter)
		if err != nil {
			t.Fatal(err)
		}
		edit := *rep.Role
		edit.Name, edit.SecondFactor = "Un nome nuovo", true
		if err := f.svc.UpdateRole(f.ctx, a, &edit); err != nil {
			t.Fatal(err)
		}
		rep, _ = f.svc.Role(f.ctx, a, network.Reporter)
		if !rep.SecondFactor || rep.Name != "" || !rep.Builtin {
			t.Fatalf("the built-in role after the edit: %+v", rep.Role)
		}
	})
}

// TestVocabularyIsTranslated checks that the role pages can name every
// verb, resource, scope, sensitive field group and user state in both
// languages: their labels are catalogue keys built at run time.
func TestVocabularyIsTranslated(t *testing.T) {
	cat := i18n.MustLoad()
	var keys []string
	for _, v := range access.Verbs {
		keys = append(keys, "access.verb."+string(v))
	}
	for _, r := range access.Resources {
		keys = append(keys, "access.resource."+string(r))
	}
	for _, s := range access.Scopes {
		keys = append(keys, "access.scope."+string(s))
	}
	for _, g := range access.FieldGroups {
		keys = append(keys, "access.field_group."+string(g))
	}
	for _, s := range admin.UserStates {
		keys = append(keys, "admin.users.state."+string(s))
	}
	for _, k := range keys {
		for _, l := range i18n.Languages {
			if !cat.Has(l, k) {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

// A user or an area added tells the caches of this process that the names
// of the network changed, so that a case's view names a member added a
// moment ago.
func TestAddingUsersAndAreasRenewsTheNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.actor("admin")
		before := auth.AccessGeneration()
		if _, err := f.svc.InviteUser(f.ctx, a, &network.User{Username: "nuovo.collega", DisplayName: "Nuovo Collega",
			OrganisationID: a.Organisation.ID, Roles: []network.Role{network.SocialWorker}}); err != nil {
			t.Fatal(err)
		}
		if after := auth.AccessGeneration(); after == before {
			t.Error("inviting a user left the names of the network as they were")
		}
		before = auth.AccessGeneration()
		if err := f.svc.CreateArea(f.ctx, a, &network.Area{Code: "AMBITO-NUOVO", Name: "Ambito nuovo", Region: "Toscana"}); err != nil {
			t.Fatal(err)
		}
		if after := auth.AccessGeneration(); after == before {
			t.Error("adding an area left the names of the network as they were")
		}
	})
}
