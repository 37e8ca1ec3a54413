package mqtttest

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills the broker when the test binary dies, even killed by
// a timeout before its cleanups ran: no broker outlives its test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
