package i18n

// zhCLI: usage, help, flags and what check, halt, jog, replay and verify
// print.
var zhCLI = map[string]string{
	// help.go, main.go and the flag package's own messages
	"usage:": "用法：",
	"flags:": "参数：",
	"Messages follow the locale (Chinese with LANG=zh_CN.UTF-8); choose with --lang zh|en or CATTEASE_LANG.": "语言跟随系统区域设置（LANG=zh_CN.UTF-8 即中文）；也可用 --lang zh|en 或 CATTEASE_LANG 指定。",
	"usage: cattease %s": "用法：cattease %s",
	`Run "cattease help COMMAND" or "cattease COMMAND -h" for a command's flags.`: `运行 "cattease help 命令" 或 "cattease 命令 -h" 查看命令的参数。`,
	"chat → rules → rig; the show":                                                "弹幕 → 规则 → 云台；开播用这个",
	"validate; exit 1 with file:line:col messages":                                "检查规则文件；有问题就按 文件:行:列 列出，并以 1 退出",
	"recorded events → JSON-lines trace, on a virtual clock":                      "用虚拟时钟重放录下的弹幕，输出 JSON 行轨迹",
	"check a trace (run --trace, replay) against every safety invariant":          "按全部安全规则核对一份轨迹（run --trace 或 replay 生成）",
	"laser off, pulses stopped":                                                   "关激光，停舵机脉冲",
	"move one axis to find its limits, hold until Enter":                          "转动一个轴来找它的极限，按回车前保持不动",
	"print the version (also --version)":                                          "显示版本（也可用 --version）",
	"print the JSON Schema of rules.yaml, for editors (docs/rules.schema.json)":   "输出 rules.yaml 的 JSON Schema，给编辑器做补全和检查用（docs/rules.schema.json）",
	"json schema: %w":                     "json schema: %w",
	"help: unknown command %q":            "help: 没有命令 %q",
	"unknown command %q":                  "没有命令 %q",
	"flag provided but not defined: %s":   "没有这个参数：%s",
	"flag needs an argument: %s":          "参数需要一个值：%s",
	"invalid value %q for flag %s: %v":    "参数 %[2]s 的值 %[1]q 无效：%[3]v",
	"invalid boolean value %q for %s: %v": "%[2]s 的值 %[1]q 不是 true 或 false：%[3]v",
	"Usage of %s:":                        "%s 的用法：",
	"--lang needs a value: zh or en":      "--lang 需要一个值：zh 或 en",
	"unknown language %q: use zh or en":   "不认识的语言 %q：请用 zh 或 en",

	// check
	"the rules file": "规则文件",
	"check as for a dry run (run --dry-run): skip the state directory check":           "按空跑（run --dry-run）检查：跳过状态目录检查",
	"on success print only the servo driver the rules use (deploy/install.sh asks it)": "检查通过时只打印规则用的舵机驱动（deploy/install.sh 用它）",
	"%s: ok (%d commands, %d axes, %d switches)":                                       "%s: 没问题（%d 条指令，%d 个轴，%d 个开关）",
	"%d problem(s)": "共 %d 个问题",

	// halt
	"rules do not load; halting with the hardware section alone: %v": "规则加载失败，只按 hardware 部分关停：%v",
	"driver: mock; no hardware to halt":                              "driver 是 mock：没有硬件要关停",
	"halted %d switch(es) and %d axis/axes":                          "已关停 %d 个开关和 %d 个轴",
	"halt: %w":                                                       "关停：%w",
	"halt pca9685: %w":                                               "关停 pca9685：%w",
	"halt %s: %w":                                                    "关停 %s：%w",
	"ignoring a stale pid file in %s: no cattease runs with this configuration":                      "忽略 %s 里过期的 pid 文件：没有用这份配置运行的 cattease",
	"cannot tell whether an instance runs (%v); halting the hardware directly":                       "无法判断是否有实例在运行（%v），直接关停硬件",
	"emergency stop to pid %d: %v":                                                                   "向 pid %d 发送急停失败：%v",
	"emergency stop sent to cattease pid %d (resume with a moderator's resume command or the panel)": "已向 cattease（pid %d）发送急停（房管发“继续”或在控制面板上恢复）",

	// jog
	"usage: cattease jog [-c rules.yaml] [--dry-run] AXIS ±DEG | AXIS --pulse US":                         "用法：cattease jog [-c rules.yaml] [--dry-run] 轴 ±度数 | 轴 --pulse 微秒",
	"drive a mock output instead of the hardware (the same calibrated range)":                             "驱动模拟输出而不是硬件（校准范围相同）",
	"output this raw pulse width in microseconds instead of an angle, to find a servo's ends (e.g. 1500)": "输出这个原始脉宽（微秒）而不是角度，用来找舵机的两端（例如 1500）",
	"jog: no axis %q in %s (have %v)":                             "jog: %[2]s 里没有轴 %[1]q（现有 %[3]v）",
	"dry run: a mock axis with the same range; no hardware moves": "演练：模拟轴，范围相同，硬件不会动",
	"jog: %v":                     "jog: %v",
	"jog: %w":                     "jog: %w",
	"%s cannot output raw pulses": "%s 不能输出原始脉冲",
	"%s: pulse %v":                "%s: 脉冲 %v",
	"holding; press Enter (or Ctrl-C) to release":   "保持中；按回车（或 Ctrl-C）松开",
	"jog: unknown flag %s (see cattease jog -h)":    "jog: 没有参数 %s（见 cattease jog -h）",
	"jog: %s needs a value":                         "jog: %s 需要一个值",
	"jog: --pulse %q: give microseconds, e.g. 1500": "jog: --pulse %q：请给微秒数，例如 1500",
	"jog: angle %q: give degrees, e.g. -15":         "jog: 角度 %q：请给度数，例如 -15",

	// replay, verify
	"usage: cattease replay [-c rules.yaml] [--strict] [--verify] [--state] [--plot path.svg] FILE":                         "用法：cattease replay [-c rules.yaml] [--strict] [--verify] [--state] [--plot path.svg] 文件",
	"usage: cattease verify [-c rules.yaml] TRACE...":                                                                       "用法：cattease verify [-c rules.yaml] 轨迹文件...",
	"stop at the first bad line instead of skipping it":                                                                     "遇到第一行坏数据就停下，而不是跳过",
	"also draw the dot's path, the limits and the keep-out zones to this SVG file":                                          "把光点轨迹、限位和禁区一起画到这个 SVG 文件",
	"check every output against the safety invariants with the independent monitor; print each violation and exit 1 if any": "用独立的监视器按安全规则核对每个输出；有违规就逐条列出，并以 1 退出",
	"keep the daily laser account in safety.state_file, as a live run does (default: in memory)":                            "像正式运行一样把每日激光用量记在 safety.state_file（默认：只记在内存里）",
	"skipped: %v":             "已跳过：%v",
	"%d bad line(s) skipped":  "跳过了 %d 行坏数据",
	"violation: %v":           "违规：%v",
	"%d safety violation(s)":  "共 %d 处违反安全规则",
	"plot: %w":                "画图：%w",
	"ok: no safety violation": "没问题：没有违反安全规则",
}
