package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/cases"
)

// AssessmentSeals are the sealed JSON documents of one section of an
// assessment, one per field group; an empty string holds nothing.
type AssessmentSeals struct {
	General, Health, Violence, Judicial string
}

// Of returns a pointer to the seal of group (cases.GeneralGroup, "health",
// "violence" or "judicial"), or nil for a group the table has no column for.
func (s *AssessmentSeals) Of(group string) *string {
	switch group {
	case cases.GeneralGroup:
		return &s.General
	case "health":
		return &s.Health
	case "violence":
		return &s.Violence
	case "judicial":
		return &s.Judicial
	}
	return nil
}

// AssessmentColumn returns the column that holds the seal of group, for the
// additional data that binds a seal to its place.
func AssessmentColumn(group string) string {
	if group == cases.GeneralGroup {
		return "general_sealed"
	}
	return group + "_sealed"
}

// StoredAssessment is one saved section of a case's assessment, sealed.
type StoredAssessment struct {
	CaseID    int64
	Section   cases.AssessmentSection
	Seals     AssessmentSeals
	Version   int
	UpdatedBy int64
	UpdatedAt time.Time
}

const assessmentColumns = `case_id, section, general_sealed, health_sealed, violence_sealed, judicial_sealed,
	version, updated_by, updated_at`

func scanAssessment(row interface{ Scan(...any) error }, a *StoredAssessment) error {
	var section string
	if err := row.Scan(&a.CaseID, &section, &a.Seals.General, &a.Seals.Health, &a.Seals.Violence, &a.Seals.Judicial,
		&a.Version, &a.UpdatedBy, &a.UpdatedAt); err != nil {
		return err
	}
	a.Section = cases.AssessmentSection(section)
	return nil
}

// ListAssessments returns the saved sections of case caseID's assessment.
func ListAssessments(ctx context.Context, tx *Tx, caseID int64) ([]StoredAssessment, error) {
	rows, err := tx.Query(ctx, `SELECT `+assessmentColumns+` FROM case_assessments WHERE case_id = ? ORDER BY section`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the assessment of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []StoredAssessment
	for rows.Next() {
		var a StoredAssessment
		if err := scanAssessment(rows, &a); err != nil {
			return nil, fmt.Errorf("store: unable to read the assessment of case %d: %w", caseID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindAssessment returns section of case caseID's assessment, or nil when
// it was never saved.
func FindAssessment(ctx context.Context, tx *Tx, caseID int64, section cases.AssessmentSection) (*StoredAssessment, error) {
	var a StoredAssessment
	err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+` FROM case_assessments WHERE case_id = ? AND section = ?`,
		caseID, string(section)), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the %s of case %d: %w", section, caseID, err)
	}
	return &a, nil
}

// SaveAssessment writes a, whose seals are made, as the section's new
// content, provided the stored section is still at version from (0 for a
// section never saved), and sets a's version. It returns ECONFLICT
// ("error.stale_version") when someone saved the section since.
func SaveAssessment(ctx context.Context, tx *Tx, a *StoredAssessment, from int) error {
	var res sql.Result
	var err error
	if from == 0 {
		res, err = tx.Exec(ctx, `INSERT INTO case_assessments (`+assessmentColumns+`) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (case_id, section) DO NOTHING`,
			a.CaseID, string(a.Section), a.Seals.General, a.Seals.Health, a.Seals.Violence, a.Seals.Judicial, a.UpdatedBy, a.UpdatedAt.UTC())
	} else {
		res, err = tx.Exec(ctx, `UPDATE case_assessments SET general_sealed = ?, health_sealed = ?, violence_sealed = ?,
			judicial_sealed = ?, version = version + 1, updated_by = ?, updated_at = ?
			WHERE case_id = ? AND section = ? AND version = ?`,
			a.Seals.General, a.Seals.Health, a.Seals.Violence, a.Seals.Judicial, a.UpdatedBy, a.UpdatedAt.UTC(),
			a.CaseID, string(a.Section), from)
	}
	if err != nil {
		return fmt.Errorf("store: unable to save the %s of case %d: %w", a.Section, a.CaseID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to save the %s of case %d: %w", a.Section, a.CaseID, err)
	} else if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	a.Version = from + 1
	return nil
}
