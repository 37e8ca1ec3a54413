package i18n

import "maps"

// zhCheckFix: what `cattease check` and the rules' reload say since their
// fixes of 2026-12 (a forgotten -c, the web and audit files run opens, a
// reload that names outputs the running rig does not have).
var zhCheckFix = map[string]string{
	"unexpected argument %q":                       "多余的参数 %q",
	"unexpected argument %q (did you mean -c %s?)": "多余的参数 %q（是不是想写 -c %s？）",
	"%q is not an address to listen on (%w): write host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080, or off": "%q 不是能监听的地址（%w）：写成 主机:端口，例如 127.0.0.1:8080 或 0.0.0.0:8080，或者写 off",
	"cannot open %s: %w": "打不开 %s：%w",
	"directory %s does not exist: create it, or name a file in one that does (run creates only the state directory)": "目录 %s 不存在：先创建它，或者换一个已有目录里的文件（run 只会自动创建状态目录）",
	"cannot create a file in %s: %w":                                            "无法在 %s 里创建文件：%w",
	"%s on the running rig: restart to apply hardware changes":                  "%s（正在运行的装置上如此：硬件和安全设置的修改要重启才生效）",
	"rules reloaded, but for the sections read at start: restart to apply them": "规则已重新加载，只在启动时读取的部分除外：要重启才生效",
}

// The table is built at the first use (zhTable), after every init: these
// join check's warnings.
func init() { maps.Copy(zhCheckWarn, zhCheckFix) }
