package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"approdo"
	"approdo/internal/i18n"
	"approdo/internal/jobs"
	"approdo/internal/store"
)

// Mailer turns notifications into e-mails and tasks into reminders, as
// durable jobs.
type Mailer struct {
	db  *store.DB
	cat *i18n.Catalogue
	// Sender delivers the e-mails; nil means no mail server is configured
	// and e-mail jobs end as skipped.
	Sender Sender
	// BaseURL is Approdo's address, without a trailing slash, for the links
	// in e-mails.
	BaseURL string
}

// NewMailer returns a mailer over db that writes with cat and delivers with
// sender (nil: none) and links to baseURL.
func NewMailer(db *store.DB, cat *i18n.Catalogue, sender Sender, baseURL string) *Mailer {
	return &Mailer{db: db, cat: cat, Sender: sender, BaseURL: strings.TrimRight(baseURL, "/")}
}

// Register makes r run the mailer's jobs.
func (m *Mailer) Register(r *jobs.Runner) {
	r.Handle(store.JobMailNotification, m.sendNotification)
	r.Handle(store.JobMailDigest, m.sendDigest)
	r.HandleTx(store.JobTaskDue, remindTask)
}

// noServer is the reason of e-mail jobs run without a mail server.
const noServer = "no mail server configured"

// sendNotification e-mails one notification to its user.
func (m *Mailer) sendNotification(ctx context.Context, j *store.Job, now time.Time) error {
	var n *store.Notification
	var r *store.Recipient
	err := m.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = store.FindNotification(ctx, tx, j.Payload.NotificationID); err != nil {
			return err
		}
		r, err = store.FindRecipient(ctx, tx, n.UserID)
		return err
	})
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return jobs.Skip("the notification is gone")
	} else if err != nil {
		return err
	}
	// The user's choice when the notification was made stands, unless they
	// have since turned e-mails off.
	if r.Email == "" || !r.Active || r.Preference == store.MailNone {
		return jobs.Skip("the user no longer asks for it")
	}
	if m.Sender == nil {
		return jobs.Skip(noServer)
	}
	text := m.cat.T(r.Locale, "notification."+n.Kind, n.CaseCode)
	body := m.cat.T(r.Locale, "mail.body", text, m.link(n)) + "\n-- \n" + m.cat.T(r.Locale, "mail.footer", m.BaseURL+settingsPath)
	return m.Sender.Send(ctx, Message{To: r.Email, Subject: m.cat.T(r.Locale, "mail.subject", text), Body: body,
		ID: messageID(j)})
}

// sendDigest e-mails a user the notifications of one digest period.
func (m *Mailer) sendDigest(ctx context.Context, j *store.Job, now time.Time) error {
	var list []store.Notification
	var r *store.Recipient
	to := time.Unix(j.Payload.To, 0)
	err := m.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = store.FindRecipient(ctx, tx, j.Payload.UserID); err != nil {
			return err
		}
		list, err = store.ListNotificationsBetween(ctx, tx, j.Payload.UserID, time.Unix(j.Payload.From, 0), to)
		return err
	})
	if approdo.ErrorCode(err) == approdo.ENOTFOUND {
		return jobs.Skip("the user is gone")
	} else if err != nil {
		return err
	}
	if r.Email == "" || !r.Active || r.Preference == store.MailNone {
		return jobs.Skip("the user no longer asks for it")
	}
	if len(list) == 0 {
		return jobs.Skip("nothing to send")
	}
	if m.Sender == nil {
		return jobs.Skip(noServer)
	}
	var b strings.Builder
	b.WriteString(m.cat.T(r.Locale, "mail.digest_intro") + "\n\n")
	for _, n := range list {
		fmt.Fprintf(&b, "- %s %s\n  %s\n", n.CreatedAt.In(approdo.Rome).Format("02/01 15:04"),
			m.cat.T(r.Locale, "notification."+n.Kind, n.CaseCode), m.link(&n))
	}
	b.WriteString("\n" + m.cat.T(r.Locale, "mail.digest_link", m.BaseURL+"/") + "\n-- \n" +
		m.cat.T(r.Locale, "mail.footer", m.BaseURL+settingsPath))
	subject := m.cat.T(r.Locale, "mail.digest_subject", to.In(approdo.Rome).Format("02/01/2006 15:04"))
	return m.Sender.Send(ctx, Message{To: r.Email, Subject: subject, Body: b.String(), ID: messageID(j)})
}

// settingsPath is the page where users choose how they get e-mails.
const settingsPath = "/account/notifications"

// link returns the address of the page a notification is about: its case,
// or the home page.
func (m *Mailer) link(n *store.Notification) string {
	if n.CaseID == 0 {
		return m.BaseURL + "/"
	}
	return m.BaseURL + "/cases/" + strconv.FormatInt(n.CaseID, 10)
}

// messageID derives a Message-ID from the job's key, so that a repeat is
// recognisable.
func messageID(j *store.Job) string {
	return strings.NewReplacer(":", ".", "/", ".").Replace(j.Key) + "@approdo"
}
