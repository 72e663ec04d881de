package web

import (
	"context"
	"slices"

	"approdo/access"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// directory is the whole network, loaded once for pages that cross-reference
// areas, organisations and programmes. A region has tens of organisations and
// programmes, so it is small.
type directory struct {
	areas         []network.Area
	organisations []network.Organisation
	programmes    []programmeView
	areaByID      map[int64]*network.Area
	orgByID       map[int64]*network.Organisation
}

// programmeView is a programme with its organisations and areas resolved.
type programmeView struct {
	network.Programme
	Lead     *network.Organisation
	Partners []*network.Organisation
	Areas    []*network.Area
}

// involves reports whether the organisation leads or partners the programme.
func (p programmeView) involves(orgID int64) bool {
	return p.LeadOrgID == orgID || slices.Contains(p.PartnerIDs, orgID)
}

func (d *directory) area(id int64) *network.Area { return d.areaByID[id] }

// loadDirectory reads the network in one transaction.
func loadDirectory(ctx context.Context, tx *store.Tx) (*directory, error) {
	d := &directory{areaByID: map[int64]*network.Area{}, orgByID: map[int64]*network.Organisation{}}
	var err error
	if d.areas, err = store.ListAreas(ctx, tx); err != nil {
		return nil, err
	}
	for i := range d.areas {
		d.areaByID[d.areas[i].ID] = &d.areas[i]
	}
	if d.organisations, err = store.ListOrganisations(ctx, tx); err != nil {
		return nil, err
	}
	for i := range d.organisations {
		d.orgByID[d.organisations[i].ID] = &d.organisations[i]
	}
	ps, err := store.ListProgrammes(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		v := programmeView{Programme: p, Lead: d.orgByID[p.LeadOrgID]}
		for _, id := range p.PartnerIDs {
			v.Partners = append(v.Partners, d.orgByID[id])
		}
		for _, id := range p.AreaIDs {
			v.Areas = append(v.Areas, d.areaByID[id])
		}
		d.programmes = append(d.programmes, v)
	}
	return d, nil
}

// readableBy returns the part of the directory a may read: the areas,
// organisations and programmes within the scopes of their grant to read the
// directory, as the API returns them.
func (d *directory) readableBy(a *auth.Actor) *directory {
	out := &directory{areaByID: d.areaByID, orgByID: d.orgByID}
	for _, ar := range d.areas {
		if auth.Allowed(a, access.Read, auth.DirectoryArea(ar.ID)) {
			out.areas = append(out.areas, ar)
		}
	}
	for _, o := range d.organisations {
		if auth.Allowed(a, access.Read, auth.DirectoryOrganisation(&o)) {
			out.organisations = append(out.organisations, o)
		}
	}
	for _, p := range d.programmes {
		if auth.SeesProgramme(a, &p.Programme) {
			out.programmes = append(out.programmes, p)
		}
	}
	return out
}
