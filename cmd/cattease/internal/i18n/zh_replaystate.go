package i18n

import "maps"

// zhReplaystate: replay --state tells which laser account it starts from,
// and warns when there is none (a login user's state directory is not the
// service's).
var zhReplaystate = map[string]string{
	"--state: the replay starts from a copy of the laser account %s":                                                                      "--state: 重放从激光用量账本 %s 的副本开始",
	"--state: warning: %s does not exist: the replay starts from an empty laser account":                                                  "--state: 警告：%s 不存在：重放从空的激光用量账本开始",
	"--state: to start from the service's account, run: sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease replay --state …": "--state: 要从服务的账本开始，请运行：sudo -u cattease env STATE_DIRECTORY=/var/lib/cattease cattease replay --state …",
}

// The table is built at the first use (zhTable), after every init: these
// join the command line's own.
func init() { maps.Copy(zhCLI, zhReplaystate) }
