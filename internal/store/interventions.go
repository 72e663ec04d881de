package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"approdo"
	"approdo/cases"
	"approdo/projects"
)

// The catalogue of interventions that the actions of projects draw on. Its
// entries are named by code, never deleted (a retired one keeps its row), and
// edited from the version they were read at.

const interventionColumns = `code, name_it, name_en, kinds, cap_months, cap_cents, budget_line, position, active, version`

// scanIntervention reads a row of interventionColumns into i.
func scanIntervention(row interface{ Scan(...any) error }, i *projects.Intervention) error {
	var kinds string
	if err := row.Scan(&i.Code, &i.NameIT, &i.NameEN, &kinds, &i.CapMonths, &i.CapCents, &i.BudgetLine, &i.Position,
		&i.Active, &i.Version); err != nil {
		return err
	}
	i.Kinds = nil
	for _, k := range strings.Split(kinds, ",") {
		if k != "" {
			i.Kinds = append(i.Kinds, cases.Kind(k))
		}
	}
	return nil
}

// joinKinds writes kinds as the column holds them: comma-separated.
func joinKinds(kinds []cases.Kind) string {
	parts := make([]string, len(kinds))
	for n, k := range kinds {
		parts[n] = string(k)
	}
	return strings.Join(parts, ",")
}

// ListInterventions returns the whole catalogue of interventions, retired
// entries included, in its order.
func ListInterventions(ctx context.Context, tx *Tx) ([]projects.Intervention, error) {
	rows, err := tx.Query(ctx, `SELECT `+interventionColumns+` FROM interventions ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the interventions: %w", err)
	}
	defer rows.Close()
	var out []projects.Intervention
	for rows.Next() {
		var i projects.Intervention
		if err := scanIntervention(rows, &i); err != nil {
			return nil, fmt.Errorf("store: unable to read an intervention: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// FindIntervention returns the entry of the catalogue with the given code,
// or ENOTFOUND.
func FindIntervention(ctx context.Context, tx *Tx, code string) (*projects.Intervention, error) {
	var i projects.Intervention
	err := scanIntervention(tx.QueryRow(ctx, `SELECT `+interventionColumns+` FROM interventions WHERE code = ?`, code), &i)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, approdo.Errorf(approdo.ENOTFOUND, "error.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find intervention %q: %w", code, err)
	}
	return &i, nil
}

// InsertIntervention adds i to the catalogue at version 1, last in the
// lists when its position is 0, and sets its version and position. A code
// in use is ECONFLICT ("error.code_taken").
func InsertIntervention(ctx context.Context, tx *Tx, i *projects.Intervention) error {
	if i.Position == 0 {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM interventions`).Scan(&i.Position); err != nil {
			return fmt.Errorf("store: unable to place intervention %q: %w", i.Code, err)
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO interventions (code, name_it, name_en, kinds, cap_months, cap_cents, budget_line,
		position, active, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, i.Code, i.NameIT, i.NameEN, joinKinds(i.Kinds),
		i.CapMonths, i.CapCents, i.BudgetLine, i.Position, i.Active)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.code_taken", i.Code)
	} else if err != nil {
		return fmt.Errorf("store: unable to add intervention %q: %w", i.Code, err)
	}
	i.Version = 1
	return nil
}

// UpdateIntervention stores i's fields if the entry with its code is still
// at i.Version, and moves i to the next version. The code itself never
// changes. It returns ENOTFOUND for an unknown code and ECONFLICT
// ("error.stale_version") when the entry was edited since.
func UpdateIntervention(ctx context.Context, tx *Tx, i *projects.Intervention) error {
	res, err := tx.Exec(ctx, `UPDATE interventions SET name_it = ?, name_en = ?, kinds = ?, cap_months = ?, cap_cents = ?,
		budget_line = ?, position = ?, active = ?, version = version + 1 WHERE code = ? AND version = ?`,
		i.NameIT, i.NameEN, joinKinds(i.Kinds), i.CapMonths, i.CapCents, i.BudgetLine, i.Position, i.Active, i.Code, i.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update intervention %q: %w", i.Code, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: unable to update intervention %q: %w", i.Code, err)
	}
	if n == 0 {
		return staleOrMissing(ctx, tx, "interventions", "code", i.Code)
	}
	i.Version++
	return nil
}
