package i18n

import "maps"

// zhRigNames: two --rig naming one Home Assistant device.
var zhRigNames = map[string]string{
	"--rig %s: another --rig has the same base topic and rig name %q: give each rig its own name (their Home Assistant devices and kept stops would be one)": "--rig %s：另一个 --rig 的基础主题和装置名 %q 跟它一样：给每套装置起不同的名字（否则它们在 Home Assistant 里是同一个设备，保存的急停也会混在一起）",
	"it holds neither a stop nor a forbid, which is never written":                                                                                           "文件里既没有急停也没有禁止激光，cattease 从不写这样的文件",
}

// The table is built at the first use (zhTable), after every init: these
// join the MQTT fixes' own.
func init() { maps.Copy(zhMQTTFixes, zhRigNames) }
