package main

import (
	"net"
	"net/mail"

	"approdo/internal/notify"
)

// mailSender returns the sender of notifications by e-mail, or nil when no
// mail server is configured. A server without a valid sender address is a
// usage error.
func mailSender(addr, from, user, password string) (notify.Sender, error) {
	if addr == "" {
		return nil, nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, usageError{"--smtp-addr must be host:port"}
	}
	if a, err := mail.ParseAddress(from); err != nil || a.Address != from {
		return nil, usageError{"--smtp-from must be an e-mail address when --smtp-addr is set"}
	}
	return &notify.SMTP{Addr: addr, From: from, User: user, Password: password}, nil
}
