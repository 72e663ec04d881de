// Package notify sends Approdo's notifications by e-mail, immediately or as
// a daily digest, and reminds the responsible of a task when it falls due.
// Each e-mail is a durable job (internal/jobs): it survives restarts, is
// retried with backoff while the mail server is unreachable, and is sent
// once. An e-mail names a case by its code, never by the person's name, and
// carries no notes or reasons.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"time"
)

// Message is one e-mail to one recipient, in plain text.
type Message struct {
	To      string
	Subject string
	Body    string
	// ID is the Message-ID without angle brackets; it is derived from the
	// job's key, so that a mail system can recognise a repeat.
	ID string
}

// Sender sends e-mail. Its errors carry no personal data: they are recorded
// on the job.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP sends e-mail through a mail server, switching to TLS when the server
// offers STARTTLS.
type SMTP struct {
	// Addr is the server's host:port.
	Addr string
	// From is the sender's address.
	From string
	// User and Password authenticate with PLAIN when User is set; over a
	// connection without TLS only to a server on this machine.
	User, Password string
	// Timeout bounds a whole delivery; 0 means 30 seconds.
	Timeout time.Duration
	// TLS configures STARTTLS; nil means the system's roots and Addr's host.
	TLS *tls.Config
}

// Send delivers m. It returns an error naming the step that failed and the
// server's reply code, never the server's text, which may echo an address.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp: bad server address: %w", err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp: the server is unreachable: %w", err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return smtpError("greeting", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return smtpError("starttls", err)
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, host)); err != nil {
			return smtpError("auth", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return smtpError("mail from", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return smtpError("rcpt to", err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpError("data", err)
	}
	if _, err := w.Write(compose(s.From, m)); err != nil {
		return smtpError("data", err)
	}
	if err := w.Close(); err != nil {
		return smtpError("data", err)
	}
	if err := c.Quit(); err != nil {
		// The message was accepted at the end of DATA; a failed QUIT does
		// not make it unsent, and sending it again would duplicate it.
		return nil
	}
	return nil
}

// smtpError describes a failed step by the server's reply code only.
func smtpError(step string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		return fmt.Errorf("smtp: %s: the server replied %d", step, te.Code)
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("smtp: %s: connection failed: %w", step, ne)
	}
	return fmt.Errorf("smtp: %s failed", step)
}

// compose writes m as a MIME message in UTF-8, quoted-printable.
func compose(from string, m Message) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	if m.ID != "" {
		h("Message-ID", "<"+m.ID+">")
	}
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write(bytes.ReplaceAll([]byte(m.Body), []byte("\n"), []byte("\r\n")))
	qp.Close()
	return b.Bytes()
}
