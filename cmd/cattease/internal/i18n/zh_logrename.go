package i18n

import "maps"

// zhLogRename: what --record and the audit log say when the full file
// cannot be renamed aside: it grows on past its size limit, and the
// rename is tried again every minute.
var zhLogRename = map[string]string{
	"%s: the full file cannot be renamed aside; writing on past its size limit, and trying again every minute": "%s：写满的文件没法改名挪开；超过大小上限接着写，每分钟再试一次",
}

// The table is built at the first use (zhTable), after every init: these
// join the logs' own.
func init() { maps.Copy(zhLogs, zhLogRename) }
