//go:build unix

package mqtttest

import "syscall"

// Freeze stops the broker's process without closing its connections, as
// a hung broker looks to its clients: nothing is acknowledged. Stop then
// kills it.
func (b *Broker) Freeze() {
	if b.cmd != nil {
		b.cmd.Process.Signal(syscall.SIGSTOP)
	}
}
