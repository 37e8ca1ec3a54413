package i18n

import "maps"

// zhUnseen: messages the coverage test did not look for, so they reached
// a Chinese terminal in English: the Bilibili guest warning (a log
// message built around its reason), the web server's errors (a token
// file others can read, no token on the network, the control API's
// refusals) and jog's errors of a pulse or an angle outside the
// calibration, on the hardware (servo) and on --dry-run (mock).
var zhUnseenChat = map[string]string{
	// danmu/bilibili: warnGuest and its reasons
	"not logged in (%s): Bilibili masks viewers' names and uids for guests, so per-user rules, owner and moderator roles will not work; set a cookie file with SESSDATA": "未登录（%s）：B站对游客隐藏观众的名字和 uid，所以按观众区分的规则、主播和房管身份都不起作用；请设置一个带 SESSDATA 的 cookie 文件",
	"no cookie file with SESSDATA":                                     "没有带 SESSDATA 的 cookie 文件",
	"the cookie file's SESSDATA was not accepted; it may have expired": "cookie 文件里的 SESSDATA 没被接受，可能已经过期",
	"the server sent LOG_IN_NOTICE":                                    "服务器发来了 LOG_IN_NOTICE（要求登录）",
}

var zhUnseenWeb = map[string]string{
	// the token file: run refuses to start, check reports it
	"token file %s is readable by others (mode %04o); run chmod 600 on it":                             "令牌文件 %s 别的用户也能读（权限 %04o）；请对它执行 chmod 600",
	"token file %s: want one token of at least %d printable ASCII characters, none of \"\\;, or space": "令牌文件 %s：里面应只有一个令牌，至少 %d 个可打印的 ASCII 字符，不能含 \"、\\、;、, 或空格",
	"token file %s: too large for a token":                                                             "令牌文件 %s：太大了，不会是一个令牌",
	"token file %s: empty":                                                                             "令牌文件 %s 是空的",
	"token file: %w":                                                                                   "令牌文件：%w",
	"empty":                                                                                            "为空",
	"refusing to listen on %q without a token: control would be open to the network": "没有令牌，拒绝在 %q 上监听：控制接口会对整个网络开放",
	"refusing to serve on %s without a token: control would be open to the network":  "没有令牌，拒绝在 %s 上提供服务：控制接口会对整个网络开放",
	"listen: %w":             "监听失败：%w",
	"serve: %w":              "服务出错：%w",
	"shutdown: %w":           "关闭时出错：%w",
	"metrics: %w":            "监控指标：%w",
	"too many event streams": "事件流太多",
	"too many event streams from this address":                   "这个地址打开的事件流太多",
	"%s: bad duration %q: write e.g. 10m or 1h, at most 720h":    "%s：时长 %q 有误：请写成 10m 或 1h 这样，最长 720h",
	"moderation is not available in this engine":                 "这个引擎不支持房管操作（禁言、包场）",
	"moderation: name a viewer (name or uid)":                    "房管操作：请指定一位观众（名字或 uid）",
	"moderation: the name or uid is too long (at most %d bytes)": "房管操作：名字或 uid 太长（最多 %d 字节）",
	"moderation: the name or uid has control characters":         "房管操作：名字或 uid 里有控制字符",
	"laser: want \"enabled\": true or false":                     "激光：需要 \"enabled\": true 或 false",
	"laser: no switch %q":                                        "激光：没有开关 %q",
	"reload is not available":                                    "这里不能重新加载规则",
	"bad arguments: %w":                                          "参数有误：%w",
	"bad arguments: enabled=%q is not a boolean":                 "参数有误：enabled=%q 不是布尔值",
}

var zhUnseenJog = map[string]string{
	// actuators/servo: a calibration's range
	"angle %v: %w": "角度 %v：%w",
	"angle %g° outside calibrated %g°..%g°: %w": "角度 %g° 超出校准范围 %g°..%g°：%w",
	"pulse %v outside calibrated %v..%v: %w":    "脉冲 %v 超出校准范围 %v..%v：%w",
	// and with what comes before it, or "%s: pulse %v" claims it first
	"%s: pulse %v outside calibrated %v..%v: %w": "%s：脉冲 %v 超出校准范围 %v..%v：%w",
	"raw pulse %v outside %v..%v: %w":            "原始脉冲 %v 超出允许范围 %v..%v：%w",
	"%q on an axis: %w":                          "轴不能 %q：%w",

	// actuators/mock: what --dry-run refuses as the driver would
	"%s: angle %g outside [%g, %g]: %w":                    "%s：角度 %g 超出 [%g, %g]：%w",
	"%s: a calibration on a %s: %w":                        "%s：舵机校准不能用在 %s 上：%w",
	"%s: a raw pulse on a %s: %w":                          "%s：原始脉冲不能用在 %s 上：%w",
	"%s: raw pulses need the axis's servo calibration: %w": "%s：原始脉冲需要这个轴的舵机校准：%w",
	// kept English on purpose: as patterns they would claim other
	// messages before their own entries, any "x: y on z: w" ("web:
	// refusing to serve on …: …") and the monitor's "trace line 2:
	// switch value not 0 or 1: 2" (%g matches any text); their %w
	// ("unsupported action", "value out of range") is still translated
	"%s: %s on %s: %w":        "%s: %s on %s: %w",
	"%s: switch value %g: %w": "%s: switch value %g: %w",
}

// The table is built at the first use (zhTable), after every init: these
// join the chat sources', the web fixes' and the command line's own.
func init() {
	maps.Copy(zhChatSources, zhUnseenChat)
	maps.Copy(zhWebFixes, zhUnseenWeb)
	maps.Copy(zhCLI, zhUnseenJog)
}
