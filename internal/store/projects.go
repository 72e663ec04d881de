package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"approdo"
	"approdo/projects"
)

// StoredProject is a project row with its content and comments still
// sealed; the service opens them.
type StoredProject struct {
	projects.Project
	ContentSealed  string
	CommentsSealed string
}

const projectColumns = `id, case_id, status, number, version, content_sealed, comments_sealed, COALESCE(drafted_by, 0),
	COALESCE(cosigned_by, 0), COALESCE(submitted_by, 0), COALESCE(decided_by, 0), updated_at`

// FindProject returns the project of a case, or nil when it has none.
func FindProject(ctx context.Context, tx *Tx, caseID int64) (*StoredProject, error) {
	var p StoredProject
	var status string
	err := tx.QueryRow(ctx, `SELECT `+projectColumns+` FROM projects WHERE case_id = ?`, caseID).Scan(&p.ID, &p.CaseID,
		&status, &p.Number, &p.Version, &p.ContentSealed, &p.CommentsSealed, &p.DraftedBy, &p.CoSignedBy, &p.SubmittedBy,
		&p.DecidedBy, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: unable to find the project of case %d: %w", caseID, err)
	}
	p.Status = projects.Status(status)
	return &p, nil
}

// InsertProject records the first draft of a case's project and sets its
// ID and version.
func InsertProject(ctx context.Context, tx *Tx, p *StoredProject) error {
	p.Version = 1
	err := tx.QueryRow(ctx, `INSERT INTO projects (case_id, status, number, version, content_sealed, comments_sealed,
		drafted_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.CaseID, string(p.Status), p.Number, p.Version,
		p.ContentSealed, p.CommentsSealed, nullID(p.DraftedBy), p.UpdatedAt.UTC()).Scan(&p.ID)
	if IsUniqueViolation(err) {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	} else if err != nil {
		return fmt.Errorf("store: unable to record the project of case %d: %w", p.CaseID, err)
	}
	return nil
}

// UpdateProject saves p over the row at version before and bumps the
// version; it returns ECONFLICT ("error.stale_version") when the row is no
// longer at before.
func UpdateProject(ctx context.Context, tx *Tx, p *StoredProject, before int) error {
	res, err := tx.Exec(ctx, `UPDATE projects SET status = ?, number = ?, version = version + 1, content_sealed = ?,
		comments_sealed = ?, drafted_by = ?, cosigned_by = ?, submitted_by = ?, decided_by = ?, updated_at = ?
		WHERE id = ? AND version = ?`, string(p.Status), p.Number, p.ContentSealed, p.CommentsSealed, nullID(p.DraftedBy),
		nullID(p.CoSignedBy), nullID(p.SubmittedBy), nullID(p.DecidedBy), p.UpdatedAt.UTC(), p.ID, before)
	if err != nil {
		return fmt.Errorf("store: unable to save project %d: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: unable to save project %d: %w", p.ID, err)
	} else if n == 0 {
		return approdo.Errorf(approdo.ECONFLICT, "error.stale_version")
	}
	p.Version = before + 1
	return nil
}

// InsertProjectVersion freezes an approved project's sealed content as
// version number.
func InsertProjectVersion(ctx context.Context, tx *Tx, projectID int64, number int, at time.Time, by int64, sealed string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO project_versions (project_id, number, approved_at, approved_by, content_sealed)
		VALUES (?, ?, ?, ?, ?)`, projectID, number, at.UTC(), by, sealed); err != nil {
		return fmt.Errorf("store: unable to freeze version %d of project %d: %w", number, projectID, err)
	}
	return nil
}

// StoredVersion is an approved version with its content sealed.
type StoredVersion struct {
	Number        int
	ApprovedAt    time.Time
	ApprovedBy    int64
	ContentSealed string
}

// ListProjectVersions returns the approved versions of a project, oldest
// first.
func ListProjectVersions(ctx context.Context, tx *Tx, projectID int64) ([]StoredVersion, error) {
	rows, err := tx.Query(ctx, `SELECT number, approved_at, approved_by, content_sealed FROM project_versions
		WHERE project_id = ? ORDER BY number`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the versions of project %d: %w", projectID, err)
	}
	defer rows.Close()
	var out []StoredVersion
	for rows.Next() {
		var v StoredVersion
		if err := rows.Scan(&v.Number, &v.ApprovedAt, &v.ApprovedBy, &v.ContentSealed); err != nil {
			return nil, fmt.Errorf("store: unable to read a version of project %d: %w", projectID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SubmittedProject is a project waiting for the lead entity's decision.
type SubmittedProject struct {
	CaseID      int64
	SubmittedAt time.Time
}

// ListSubmittedProjects returns the projects waiting for a decision, oldest
// first.
func ListSubmittedProjects(ctx context.Context, tx *Tx) ([]SubmittedProject, error) {
	rows, err := tx.Query(ctx, `SELECT case_id, updated_at FROM projects WHERE status = 'submitted' ORDER BY updated_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the submitted projects: %w", err)
	}
	defer rows.Close()
	var out []SubmittedProject
	for rows.Next() {
		var p SubmittedProject
		if err := rows.Scan(&p.CaseID, &p.SubmittedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a submitted project: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StoredReview is a review of a project with its content sealed.
type StoredReview struct {
	Number        int
	ReviewedOn    time.Time
	ContentSealed string
	CreatedBy     int64
	CreatedAt     time.Time
}

// InsertProjectReview records review r of a project as the next number and
// sets it. A review recorded at the same time by another transaction is
// ECONFLICT ("error.project.changed").
func InsertProjectReview(ctx context.Context, tx *Tx, projectID int64, r *StoredReview) error {
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM project_reviews WHERE project_id = ?`, projectID).Scan(&r.Number); err != nil {
		return fmt.Errorf("store: unable to number a review of project %d: %w", projectID, err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO project_reviews (project_id, number, reviewed_on, content_sealed, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, projectID, r.Number, r.ReviewedOn.UTC(), r.ContentSealed, r.CreatedBy, r.CreatedAt.UTC())
	if IsUniqueViolation(err) {
		// Someone recorded a review of the same project at the same time.
		return approdo.Errorf(approdo.ECONFLICT, "error.project.changed")
	} else if err != nil {
		return fmt.Errorf("store: unable to record a review of project %d: %w", projectID, err)
	}
	return nil
}

// LockProgrammeBudget makes the transaction the only one that commits the
// budget of programme id until it ends: on PostgreSQL by locking the
// programme's row; SQLite has one writer at a time already.
func LockProgrammeBudget(ctx context.Context, tx *Tx, id int64) error {
	if tx.Dialect() != Postgres {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT id FROM programmes WHERE id = ? FOR UPDATE`, id); err != nil {
		return fmt.Errorf("store: unable to lock the budget of programme %d: %w", id, err)
	}
	return nil
}

// ListProjectReviews returns the reviews of a project, newest first.
func ListProjectReviews(ctx context.Context, tx *Tx, projectID int64) ([]StoredReview, error) {
	rows, err := tx.Query(ctx, `SELECT number, reviewed_on, content_sealed, created_by, created_at FROM project_reviews
		WHERE project_id = ? ORDER BY number DESC`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the reviews of project %d: %w", projectID, err)
	}
	defer rows.Close()
	var out []StoredReview
	for rows.Next() {
		var r StoredReview
		if err := rows.Scan(&r.Number, &r.ReviewedOn, &r.ContentSealed, &r.CreatedBy, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read a review of project %d: %w", projectID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CommittedCents returns what the approved projects of programme
// programmeID other than project exceptID commit of budget line line.
func CommittedCents(ctx context.Context, tx *Tx, programmeID int64, line string, exceptID int64) (int64, error) {
	var sum int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(cents), 0) FROM project_commitments
		WHERE programme_id = ? AND budget_line = ? AND project_id <> ?`, programmeID, line, exceptID).Scan(&sum); err != nil {
		return 0, fmt.Errorf("store: unable to sum the commitments of budget line %s: %w", line, err)
	}
	return sum, nil
}

// SetCommitments replaces what project projectID commits of programme
// programmeID's budget lines with cents by line.
func SetCommitments(ctx context.Context, tx *Tx, projectID, programmeID int64, cents map[string]int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM project_commitments WHERE project_id = ?`, projectID); err != nil {
		return fmt.Errorf("store: unable to clear the commitments of project %d: %w", projectID, err)
	}
	for line, c := range cents {
		if _, err := tx.Exec(ctx, `INSERT INTO project_commitments (project_id, programme_id, budget_line, cents) VALUES (?, ?, ?, ?)`,
			projectID, programmeID, line, c); err != nil {
			return fmt.Errorf("store: unable to record a commitment of project %d: %w", projectID, err)
		}
	}
	return nil
}

// InsertExpense records an expense, whose description is sealed, and sets
// its ID.
func InsertExpense(ctx context.Context, tx *Tx, e *projects.Expense, programmeID int64) error {
	err := tx.QueryRow(ctx, `INSERT INTO project_expenses (project_id, case_id, programme_id, budget_line, domain, action_index,
		amount_cents, spent_on, description_sealed, note_id, attachment_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.ProjectID, e.CaseID, nullID(programmeID), e.BudgetLine,
		string(e.Domain), e.Action, e.AmountCents, e.SpentOn.UTC(), e.Description, e.NoteID, nullID(e.AttachmentID), e.CreatedBy,
		e.CreatedAt.UTC()).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: unable to record an expense of project %d: %w", e.ProjectID, err)
	}
	return nil
}

// ListExpenses returns the expenses of a project, with their descriptions
// sealed, the most recent first.
func ListExpenses(ctx context.Context, tx *Tx, projectID int64) ([]projects.Expense, error) {
	rows, err := tx.Query(ctx, `SELECT id, project_id, case_id, budget_line, domain, action_index, amount_cents, spent_on,
		description_sealed, note_id, COALESCE(attachment_id, 0), created_by, created_at FROM project_expenses
		WHERE project_id = ? ORDER BY spent_on DESC, id DESC`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the expenses of project %d: %w", projectID, err)
	}
	defer rows.Close()
	var out []projects.Expense
	for rows.Next() {
		var e projects.Expense
		var domain string
		if err := rows.Scan(&e.ID, &e.ProjectID, &e.CaseID, &e.BudgetLine, &domain, &e.Action, &e.AmountCents, &e.SpentOn,
			&e.Description, &e.NoteID, &e.AttachmentID, &e.CreatedBy, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: unable to read an expense of project %d: %w", projectID, err)
		}
		e.Domain = projects.Domain(domain)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SpentCents returns what the expenses of programme programmeID's projects
// have spent of budget line line.
func SpentCents(ctx context.Context, tx *Tx, programmeID int64, line string) (int64, error) {
	var sum int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(amount_cents), 0) FROM project_expenses WHERE programme_id = ? AND budget_line = ?`,
		programmeID, line).Scan(&sum); err != nil {
		return 0, fmt.Errorf("store: unable to sum the expenses of budget line %s: %w", line, err)
	}
	return sum, nil
}
