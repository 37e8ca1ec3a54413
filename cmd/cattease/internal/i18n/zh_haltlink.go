package i18n

import "maps"

// zhHaltLink: halt and the pid lock find the run of a rules.yaml symlink
// swapped to another version, by the -c path it was started with or the
// hardware it drives.
var zhHaltLink = map[string]string{
	"another cattease (pid %d) is already running with %s, which %s named when it started (pid file %s); stop it first":           "已有另一个 cattease（pid %d）在用 %s 运行，它启动时 %s 指向的就是这份规则（pid 文件 %s），请先停掉它",
	"another cattease (pid %d) is already running with %s on hardware %s names too (pid file %s); stop it first":                  "已有另一个 cattease（pid %d）在用 %s 运行，驱动的硬件 %s 里也写了（pid 文件 %s），请先停掉它",
	"a running cattease with other rules drives some of the hardware these rules name, and other hardware too; halting all of it": "一个用别的规则运行的 cattease 驱动着这份规则写的部分硬件，还有别的硬件；全部关停",
	"cattease pid %d runs %s, which %s named when it started":                                                                     "cattease pid %d 在运行 %s，它启动时 %s 指向的就是这份规则",
	"cattease pid %d runs %s, on hardware these rules name":                                                                       "cattease pid %d 在运行 %s，用的是这份规则写的硬件",
}

func init() { maps.Copy(zhCLI, zhHaltLink) }
