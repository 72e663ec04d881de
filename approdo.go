// Package approdo holds the vocabulary shared by every part of Approdo: the
// application error with its codes, and the build's version.
//
// Approdo is the shared case file and coordination hub of Italian networks that
// protect foreign minors, above all unaccompanied minors, and victims of
// violence and trafficking. Domain packages (network, and later cases,
// projects, referrals, deadlines) sit beside this one; adapters for storage,
// the web UI and the JSON API live under internal/ and cmd/approdo wires them.
package approdo

import (
	"time"
	_ "time/tzdata" // Europe/Rome everywhere, even without a zone database
)

// Version is the release of this build. It is overridden at link time with
// -ldflags "-X approdo.Version=..." and defaults to "dev".
var Version = "dev"

// Rome is the time zone of every network Approdo serves: dates are entered
// and shown in it, and legal deadlines are computed in it. The zone database
// is embedded (time/tzdata), so the binary needs none on the machine.
var Rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic("approdo: the embedded time zone database lacks Europe/Rome: " + err.Error())
	}
	return loc
}()
