//go:build !linux

package mqtttest

import "os/exec"

// dieWithParent: only Linux can tie a child's life to its parent's; on
// other systems the cleanups stop the broker.
func dieWithParent(*exec.Cmd) {}
