package casework

import (
	"context"
	"strconv"
	"time"

	"approdo"
	"approdo/access"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
)

// AccessEntry is one line of a case's "who saw this": who, from which
// organisation, when, what they did and, for a break-glass, why.
type AccessEntry struct {
	At           time.Time
	UserID       int64
	Name         string
	Organisation string
	Action       audit.Action
	Fields       []string
	Reason       string
}

// AccessLog returns who accessed case id, newest first, to those who may see
// it: by default the owner organisation's social workers, the team and the
// lead entity. Reading it is itself recorded. A case a may not see this of
// is ENOTFOUND.
func (s *Service) AccessLog(ctx context.Context, a *auth.Actor, id int64, client string) (string, []AccessEntry, error) {
	var code string
	var out []AccessEntry
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		c, err := store.FindCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.Read, Target(c, access.CaseAccess)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		code = c.Code
		entries, err := audit.Search(ctx, tx, audit.Filter{CaseID: id, Limit: 500})
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range entries {
			ae := AccessEntry{At: e.At, UserID: e.ActorID, Action: e.Action, Fields: e.Fields}
			if u, ok := n.users[e.ActorID]; ok {
				ae.Name = u.DisplayName
				ae.Organisation = n.orgs[u.OrganisationID].Name
			}
			if e.Action == audit.BreakGlass && e.Reason != "" {
				reason, err := s.Vault.OpenString(ctx, e.Reason, reasonAAD(id, e.ActorID))
				if err != nil {
					return err
				}
				ae.Reason = reason
			}
			out = append(out, ae)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	err = s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "case_access", RecordID: strconv.FormatInt(id, 10), CaseID: id,
		Fields: []string{"access_log"}, Client: client})
	return code, out, err
}
