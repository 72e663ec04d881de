package auth

import "approdo/access"

// Gate is what a route asks of the actor before its handler runs. Routes of
// the UI and the API are registered with their gate, so that none can be
// added without one; the handler then checks the record itself with
// Allowed.
type Gate struct {
	Public bool // anyone, signed in or not
	// Needs lists the verb and resource pairs of which the actor must hold
	// at least one; none means any signed-in actor.
	Needs []Requirement
	// Enrolling admits, too, an actor who must set up a second factor before
	// anything else (Actor.MustEnrol); every other gate refuses them.
	Enrolling bool
	// SessionOnly refuses an actor who came with an API token rather than
	// a signed-in session: credentials (passwords, second factors, tokens)
	// are changed by a person at the keyboard, so that a leaked token cannot
	// entrench itself.
	SessionOnly bool
}

// Requirement is a verb on a resource.
type Requirement struct {
	Verb     access.Verb
	Resource access.Resource
}

// Public lets anyone through: the sign-in page, the OpenAPI document.
var Public = Gate{Public: true}

// SignedIn lets through anyone who is signed in: the home page, signing out.
var SignedIn = Gate{}

// Enrolment lets through anyone who is signed in, even an actor who must
// set up a second factor first: the set-up of the second factor itself.
var Enrolment = Gate{Enrolling: true}

// Need lets through actors who may take v on some records of r.
func Need(v access.Verb, r access.Resource) Gate { return Gate{Needs: []Requirement{{v, r}}} }

// InPerson returns the gate refusing actors who came with an API token.
func (g Gate) InPerson() Gate {
	g.SessionOnly = true
	return g
}

// Or returns a gate that lets through whom either gate lets through.
func (g Gate) Or(other Gate) Gate {
	return Gate{Public: g.Public || other.Public, Needs: append(append([]Requirement(nil), g.Needs...), other.Needs...),
		Enrolling: g.Enrolling && other.Enrolling, SessionOnly: g.SessionOnly || other.SessionOnly}
}

// Admits reports whether the gate lets a through. Nobody signed in passes
// only a public gate.
func (g Gate) Admits(a *Actor) bool {
	switch {
	case g.Public:
		return true
	case a == nil || !a.User.Active:
		return false
	case a.MustEnrol && !g.Enrolling:
		return false
	case g.SessionOnly && a.Token != nil:
		return false
	case len(g.Needs) == 0:
		return true
	}
	for _, n := range g.Needs {
		if Can(a, n.Verb, n.Resource) {
			return true
		}
	}
	return false
}

// Route is a registered route and its gate, listed so that tests can walk
// every route with every role.
type Route struct {
	Pattern string
	Gate    Gate
}
