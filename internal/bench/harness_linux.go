package bench

import "syscall"

// childAttributes makes the server the harness starts receive SIGTERM when
// the harness dies, so that no server outlives an interrupted run.
func childAttributes() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
