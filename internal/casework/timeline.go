package casework

import (
	"context"
	"strconv"

	"approdo"
	"approdo/access"
	"approdo/cases"
	"approdo/internal/audit"
	"approdo/internal/auth"
	"approdo/internal/store"
	"approdo/referrals"
)

// TimelinePage is how many events the timeline shows at once.
const TimelinePage = 50

// TimelineEntry is an event with the name of who did it.
type TimelineEntry struct {
	cases.Event
	Actor string
}

// Timeline returns a page of case id's events, newest first, before the
// event before (0 for the newest), to those who read the case in full, and
// records the read. A case a may not read in full is ENOTFOUND.
func (s *Service) Timeline(ctx context.Context, a *auth.Actor, id, before int64, client string) (*cases.Case, []TimelineEntry, error) {
	var c *cases.Case
	var out []TimelineEntry
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.readable(ctx, tx, a, id, ""); err != nil {
			return err
		}
		events, err := store.ListCaseEvents(ctx, tx, id, before, TimelinePage)
		if err != nil {
			return err
		}
		n, err := loadNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range events {
			out = append(out, TimelineEntry{Event: e, Actor: n.users[e.ActorID].DisplayName})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, out, s.recordRead(ctx, a, id, "timeline", client)
}

// readable loads case id when a may read it in full, or may read section
// of it ("" for none) because a referral shares it, and answers ENOTFOUND
// otherwise, like a case that does not exist.
func (s *Service) readable(ctx context.Context, tx *store.Tx, a *auth.Actor, id int64, section referrals.Section) (*cases.Case, error) {
	c, err := store.FindCase(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(a, access.Read, Target(c, access.Cases)) && (section == "" || !auth.SharedSection(a, id, section)) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	}
	return c, nil
}

// recordRead writes the audit entry of a read of part of case id.
func (s *Service) recordRead(ctx context.Context, a *auth.Actor, id int64, part, client string) error {
	return s.Reads.Record(ctx, &audit.Entry{ActorID: a.User.ID, ActorOrgID: a.Organisation.ID,
		Action: audit.Read, RecordType: "case", RecordID: strconv.FormatInt(id, 10), CaseID: id,
		Fields: []string{part}, Client: client})
}
