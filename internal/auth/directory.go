package auth

import (
	"approdo/access"
	"approdo/network"
)

// The directory: the areas, organisations and programmes of the network,
// which an actor reads within the scopes of their grant to read the
// directory. The UI and the API both ask these.

// DirectoryArea is the policy's view of an area of the directory.
func DirectoryArea(id int64) Target {
	return Target{Resource: access.Directory, AreaID: id}
}

// DirectoryOrganisation is the policy's view of an organisation of the
// directory.
func DirectoryOrganisation(o *network.Organisation) Target {
	return Target{Resource: access.Directory, OrgID: o.ID, AreaID: o.AreaID}
}

// SeesProgramme reports whether a may read the programme in the directory:
// the programme itself, its lead entity or one of its areas must be within
// the actor's scopes.
func SeesProgramme(a *Actor, p *network.Programme) bool {
	t := Target{Resource: access.Directory, ProgrammeID: p.ID, OrgID: p.LeadOrgID}
	if Allowed(a, access.Read, t) {
		return true
	}
	for _, area := range p.AreaIDs {
		t.AreaID = area
		if Allowed(a, access.Read, t) {
			return true
		}
	}
	return false
}
