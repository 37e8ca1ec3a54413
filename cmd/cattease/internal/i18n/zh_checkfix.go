package i18n

import "maps"

// zhCheckFix: what `cattease check` and the rules' reload say since their
// fixes of 2026-12 (a forgotten -c, the web and audit files run opens, a
// reload that names outputs the running rig does not have).
var zhCheckFix = map[string]string{
	"unexpected argument %q":                       "多余的参数 %q",
	"unexpected argument %q (did you mean -c %s?)": "多余的参数 %q（是不是想写 -c %s？）",
}

// The table is built at the first use (zhTable), after every init: these
// join check's warnings.
func init() { maps.Copy(zhCheckWarn, zhCheckFix) }
