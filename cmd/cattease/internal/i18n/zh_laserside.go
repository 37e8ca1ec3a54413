package i18n

import "maps"

// zhLaserSide: a laser file that is a link to nothing.
var zhLaserSide = map[string]string{
	"%s is a symbolic link to %s, which is not there": "%s 是指向 %s 的符号链接，但那里什么都没有",
}

// The table is built at the first use (zhTable), after every init: these
// join the control package's own.
func init() { maps.Copy(zhControl, zhLaserSide) }
