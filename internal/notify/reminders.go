package notify

import (
	"context"
	"fmt"
	"time"

	"approdo"
	"approdo/internal/jobs"
	"approdo/internal/store"
)

// Reminders are enqueued for the open tasks due from ReminderLookBack ago
// to ReminderAhead from now: one when the task falls due and one
// ReminderAhead before. A task that fell due while every server was down,
// up to ReminderLookBack ago, still gets its reminder.
const (
	ReminderAhead    = 24 * time.Hour
	ReminderLookBack = 7 * 24 * time.Hour
)

// EnqueueTaskReminders enqueues the reminders of the open tasks due soon, as
// at now. Their keys name the task and its due time
// (task-due:<task>:<unix>, task-due-soon:<task>:<unix>), so each reminder is
// enqueued once however often this runs, and a task whose due date moves
// gets reminders for its new one. It reads first and writes only when a
// reminder is missing; it is safe to run from several servers at once.
func EnqueueTaskReminders(ctx context.Context, db *store.DB, now time.Time) error {
	var missing []store.Job
	err := db.Read(ctx, func(tx *store.Tx) error {
		tasks, err := store.OpenTasksDueBetween(ctx, tx, now.Add(-ReminderLookBack), now.Add(ReminderAhead))
		if err != nil || len(tasks) == 0 {
			return err
		}
		have, err := store.JobKeysSince(ctx, tx, store.JobTaskDue, now.Add(-ReminderLookBack-ReminderAhead))
		if err != nil {
			return err
		}
		for _, t := range tasks {
			due := t.DueAt.Unix()
			if key := fmt.Sprintf("task-due:%d:%d", t.TaskID, due); !have[key] {
				missing = append(missing, store.Job{Kind: store.JobTaskDue, Key: key,
					Payload: store.JobPayload{TaskID: t.TaskID, Due: due}, RunAt: t.DueAt, CreatedAt: now})
			}
			if !t.DueAt.After(now) {
				continue
			}
			soon := t.DueAt.Add(-ReminderAhead)
			if soon.Before(now) {
				soon = now
			}
			if key := fmt.Sprintf("task-due-soon:%d:%d", t.TaskID, due); !have[key] {
				missing = append(missing, store.Job{Kind: store.JobTaskDue, Key: key,
					Payload: store.JobPayload{TaskID: t.TaskID, Due: due, Soon: true}, RunAt: soon, CreatedAt: now})
			}
		}
		return nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	return db.Write(ctx, func(tx *store.Tx) error {
		for i := range missing {
			if _, err := store.EnqueueJob(ctx, tx, &missing[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// remindTask notifies the responsible of a task that it is due, or due
// soon, unless it is no longer open or its due date has moved. The
// notification, and the e-mail it asks for, commit with the job, once.
func remindTask(ctx context.Context, tx *store.Tx, j *store.Job, now time.Time) error {
	t, err := store.FindTaskReminder(ctx, tx, j.Payload.TaskID)
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return jobs.Skip("the task is gone")
	} else if err != nil {
		return err
	}
	if t.State != "open" {
		return jobs.Skip("the task is no longer open")
	}
	if t.DueAt.Unix() != j.Payload.Due {
		return jobs.Skip("the task's due date has moved")
	}
	kind := "task_due"
	if j.Payload.Soon {
		if !now.Before(t.DueAt) {
			return jobs.Skip("the task is already due")
		}
		kind = "task_due_soon"
	}
	return store.InsertNotification(ctx, tx, &store.Notification{UserID: t.ResponsibleID, Kind: kind, CaseID: t.CaseID,
		CaseCode: t.CaseCode, CreatedAt: now})
}
