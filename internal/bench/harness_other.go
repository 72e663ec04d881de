//go:build !linux

package bench

import "syscall"

// childAttributes returns nothing to add: only Linux stops a child when its
// parent dies.
func childAttributes() *syscall.SysProcAttr { return nil }
