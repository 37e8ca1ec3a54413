package i18n

import "maps"

// zhRecordFiles: run refusing a --record-keep below 0, and --record,
// --trace and the audit log (audit.file) given one file.
var zhRecordFiles = map[string]string{
	"--record-keep %d: give how many old record files to keep, 0 or more (0 keeps none)":                 "--record-keep %d：请给出要保留几个旧录制文件，0 或更多（0 表示一个都不留）",
	"run: %s and %s are the same file, %s: each would ruin the other's lines; give them different files": "run：%s 和 %s 是同一个文件 %s：两边写入的行会互相弄坏；请给它们不同的文件",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhRecordFiles) }
