package i18n

import "maps"

// zhMQTTRigCase: two --rig whose names differ only in case, whose kept
// files would be one on a file system that ignores case.
var zhMQTTRigCase = map[string]string{
	"--rig %s: its rig name %q and another --rig's %q differ only in case: on a file system that ignores case (macOS, Windows) their kept stops would be one file: give each rig a name that differs in more than case": "--rig %s：它的装置名 %q 和另一个 --rig 的 %q 只有大小写不同：在不区分大小写的文件系统上（macOS、Windows）它们保存的急停会是同一个文件：给每套装置起不只是大小写不同的名字",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhMQTTRigCase) }
