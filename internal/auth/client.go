package auth

import "context"

type clientKey struct{}

// WithClient returns a context that carries the address of the client that
// made the request, for the audit log and login throttling.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientFrom returns the address of the request's client, or "".
func ClientFrom(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}
