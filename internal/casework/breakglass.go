package casework

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/network"
)

// MaxReasonLength bounds a break-glass reason.
const MaxReasonLength = 2000

// BreakGlass opens the case with the given code to a, outside their scope,
// for a limited time, after they wrote why. The reason is sealed; the access
// is audited with it; the case worker (or, with none, the owner
// organisation's social workers) and the lead entity's coordinators are
// told. A case a already reaches needs no break-glass and is returned as it
// is. It returns EINVALID when the reason is missing or too short or long,
// and ENOTFOUND when no case has that code or a may not break the glass.
func (s *Service) BreakGlass(ctx context.Context, a *auth.Actor, code, reason, client string) (*cases.Case, error) {
	// The actors of the organisations concerned hold their grants.
	defer auth.AccessChanged()
	reason = strings.TrimSpace(reason)
	code = strings.TrimSpace(code)
	var problems []approdo.FieldError
	if code == "" {
		problems = append(problems, approdo.FieldError{Field: "case_code", Message: "error.field.required"})
	}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		problems = append(problems, approdo.FieldError{Field: "reason", Message: "error.field.required"})
	case n < cases.MinReasonLength:
		problems = append(problems, approdo.FieldError{Field: "reason", Message: "error.field.too_short", Args: []any{cases.MinReasonLength}})
	case n > MaxReasonLength:
		problems = append(problems, approdo.FieldError{Field: "reason", Message: "error.field.too_long", Args: []any{MaxReasonLength}})
	}
	if len(problems) > 0 {
		return nil, approdo.Invalid(problems...)
	}
	now := s.Now().UTC()
	var c *cases.Case
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		c, err = store.FindCaseByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if !auth.Allowed(a, access.BreakGlass, Target(c, access.Cases)) {
			return approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
		}
		if full, _ := how(a, c); full {
			return nil
		}
		b := &cases.BreakGlass{CaseID: c.ID, UserID: a.User.ID, GrantedAt: now, ExpiresAt: now.Add(s.BreakGlassFor)}
		sealed, err := s.Vault.SealString(reason, reasonAAD(c.ID, a.User.ID))
		if err != nil {
			return err
		}
		b.Reason = sealed
		if err := store.InsertBreakGlass(ctx, tx, b); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
			Action: audit.BreakGlass, RecordType: "case", RecordID: strconv.FormatInt(c.ID, 10), CaseID: c.ID,
			Reason: sealed, Client: client}); err != nil {
			return err
		}
		if err := store.InsertCaseEvent(ctx, tx, &cases.Event{CaseID: c.ID, At: now, ActorID: a.User.ID,
			Kind: cases.GlassBroken, RefID: b.ID}); err != nil {
			return err
		}
		return s.tell(ctx, tx, c, "break_glass", a.User.ID)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// reasonAAD binds a sealed break-glass reason to its case and user.
func reasonAAD(caseID, userID int64) []byte {
	return []byte("break_glass.reason:" + strconv.FormatInt(caseID, 10) + ":" + strconv.FormatInt(userID, 10))
}

// tell notifies the case worker (or, with none, the owner organisation's
// social workers) and the coordinators of the lead entity of the case's
// programme.
func (s *Service) tell(ctx context.Context, tx *store.Tx, c *cases.Case, kind string, actorID int64) error {
	var who []int64
	if c.CaseWorkerID != 0 {
		who = append(who, c.CaseWorkerID)
	} else {
		ids, err := store.UsersWithRoleIn(ctx, tx, c.OwnerOrgID, string(network.SocialWorker))
		if err != nil {
			return err
		}
		who = append(who, ids...)
	}
	if c.ProgrammeID != 0 {
		var lead int64
		if err := tx.QueryRow(ctx, `SELECT lead_org_id FROM programmes WHERE id = ?`, c.ProgrammeID).Scan(&lead); err != nil {
			return err
		}
		ids, err := store.UsersWithRoleIn(ctx, tx, lead, string(network.LeadCoordinator))
		if err != nil {
			return err
		}
		who = append(who, ids...)
	}
	seen := map[int64]bool{actorID: true}
	for _, id := range who {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := store.InsertNotification(ctx, tx, &store.Notification{UserID: id, Kind: kind, CaseID: c.ID,
			CaseCode: c.Code, ActorID: actorID}); err != nil {
			return err
		}
	}
	return nil
}
