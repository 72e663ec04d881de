package notify_test

import (
	"context"
	"strings"
	"testing"

	"approdo/internal/notify"
	"approdo/internal/notify/smtptest"
)

func TestSMTPDeliversToARealServer(t *testing.T) {
	srv := smtptest.Start(t)
	s := &notify.SMTP{Addr: srv.Addr(), From: "approdo@example.org"}
	err := s.Send(context.Background(), notify.Message{To: "anna@example.org", Subject: "[Approdo] Caso PO-2026-0001 è tuo",
		Body: "Ti è stato assegnato il caso PO-2026-0001\n\nhttps://approdo.example.org/cases/1\n", ID: "notification.1@approdo"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if m.From != "approdo@example.org" || len(m.To) != 1 || m.To[0] != "anna@example.org" {
		t.Errorf("envelope: %q %v", m.From, m.To)
	}
	if m.Subject != "[Approdo] Caso PO-2026-0001 è tuo" || m.ID != "notification.1@approdo" {
		t.Errorf("headers: %q %q", m.Subject, m.ID)
	}
	if !strings.Contains(m.Body, "Ti è stato assegnato il caso PO-2026-0001\n\nhttps://approdo.example.org/cases/1") {
		t.Errorf("body: %q", m.Body)
	}
}

func TestSMTPUnreachableIsAnErrorWithoutTheAddress(t *testing.T) {
	srv := smtptest.Down(t)
	s := &notify.SMTP{Addr: srv.Addr(), From: "approdo@example.org"}
	err := s.Send(context.Background(), notify.Message{To: "anna@example.org", Subject: "x", Body: "y"})
	if err == nil {
		t.Fatal("a send to a server that is down succeeded")
	}
	if strings.Contains(err.Error(), "anna@") {
		t.Errorf("the error names the recipient: %v", err)
	}
	srv.Up()
	if err := s.Send(context.Background(), notify.Message{To: "anna@example.org", Subject: "x", Body: "y"}); err != nil {
		t.Fatalf("after the server came back: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages", n)
	}
}
