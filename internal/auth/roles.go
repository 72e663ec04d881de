package auth

import (
	"context"
	"sync"
	"time"

	"approdo/access"
	"approdo/internal/store"
	"approdo/network"
)

// RoleBook keeps the roles of the database in memory. Roles change rarely,
// so they are read again at most every refresh interval, and at once on this
// instance after a change (Forget); other instances follow within the
// interval.
type RoleBook struct {
	db      *store.DB
	refresh time.Duration

	mu     sync.Mutex
	roles  map[network.Role]*access.Role
	loaded time.Time
}

// NewRoleBook returns a role book that re-reads the roles every ten seconds.
func NewRoleBook(db *store.DB) *RoleBook {
	return &RoleBook{db: db, refresh: 10 * time.Second}
}

// Roles returns every role by code.
func (b *RoleBook) Roles(ctx context.Context) (map[network.Role]*access.Role, error) {
	var roles map[network.Role]*access.Role
	err := b.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		roles, err = b.rolesIn(ctx, tx)
		return err
	})
	return roles, err
}

// rolesIn returns every role by code, reading them in tx when they are due
// to be read again: a caller already in a transaction must not wait for a
// second connection, which a busy pool may never give.
func (b *RoleBook) rolesIn(ctx context.Context, tx *store.Tx) (map[network.Role]*access.Role, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.roles != nil && time.Since(b.loaded) < b.refresh {
		return b.roles, nil
	}
	list, err := store.ListRoles(ctx, tx)
	if err != nil {
		return nil, err
	}
	b.roles = make(map[network.Role]*access.Role, len(list))
	for _, r := range list {
		b.roles[r.Code] = r
	}
	b.loaded = time.Now()
	return b.roles, nil
}

// Forget drops the cached roles so that the next request reads them again.
func (b *RoleBook) Forget() {
	defer AccessChanged()
	b.mu.Lock()
	b.roles = nil
	b.mu.Unlock()
}

// resolve fills the actor's grants from their roles and the programmes their
// organisation leads.
func (b *RoleBook) resolve(ctx context.Context, tx *store.Tx, a *Actor) error {
	roles, err := b.rolesIn(ctx, tx)
	if err != nil {
		return err
	}
	held := make([]*access.Role, 0, len(a.User.Roles))
	for _, code := range a.User.Roles {
		held = append(held, roles[code])
	}
	a.Grants = NewGrants(a.Organisation.Kind, held)
	if a.LedProgrammeIDs, err = store.LedProgrammeIDs(ctx, tx, a.Organisation.ID); err != nil {
		return err
	}
	if a.TeamCaseIDs, err = store.ActiveBreakGlassCaseIDs(ctx, tx, a.User.ID, time.Now().UTC()); err != nil {
		return err
	}
	if a.Grants.scopes[grantKey(access.Read, access.Referrals)] != nil {
		a.Referred, err = store.ReferralGrants(ctx, tx, a.Organisation.ID)
	}
	return err
}
