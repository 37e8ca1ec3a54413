package i18n

import "maps"

// zhRecordCut: what --record and the audit log say of a line cut at a
// file's size limit (ulimit -f, LimitFSIZE=, FAT32's 4 GiB) that cannot
// be taken back from the file, or is longer than a file may grow.
var zhRecordCut = map[string]string{
	"%s: a line cut short could not be taken back: its start stays torn at the end of the file renamed": "%s：写了一半的一行没能撤回：已写下的前半段作为残行留在改名后的文件末尾",
	"%s: a line longer than the file may grow was dropped":                                              "%s：有一行比文件最多能写的长度还长，已丢弃",
}

// The table is built at the first use (zhTable), after every init: these
// join the logs' own.
func init() { maps.Copy(zhLogs, zhRecordCut) }
