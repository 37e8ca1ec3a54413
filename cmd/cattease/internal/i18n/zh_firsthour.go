package i18n

import "maps"

// zhFirstHourConfig: the check's advice when the daily laser account has
// no place (control/config ledgerFix).
var zhFirstHourConfig = map[string]string{
	"run with --dry-run, set STATE_DIRECTORY to a writable directory, or give safety.state_file an absolute path": "加 --dry-run 运行，或者把 STATE_DIRECTORY 设成一个可写的目录，或者给 safety.state_file 写一个绝对路径",
}

// zhFirstHourLogs: the --record file's and the audit log's own messages,
// their name in the %s (logFile.logAbout).
var zhFirstHourLogs = map[string]string{
	"%s: write failed; keeping events in memory and retrying": "%s：写入失败；事件先留在内存里，稍后重试",
	"%s: writing again":             "%s：又能写入了",
	"%s: cannot list old files":     "%s：无法列出旧文件",
	"%s: cannot delete an old file": "%s：无法删除旧文件",
	"record":                        "录制文件",
	"log":                           "日志",
}

// The table is built at the first use (zhTable), after every init.
func init() {
	maps.Copy(zhConfigMore, zhFirstHourConfig)
	maps.Copy(zhLogs, zhFirstHourLogs)
}
