package i18n

import "maps"

// zhRecordMax: --record-max under 1 MB refused.
var zhRecordMax = map[string]string{
	"--record-max %s: under 1MB a new file would start every few lines and --record-keep would throw the rest away; give a unit, e.g. 100MB (0: never)": "--record-max %s：小于 1MB 时每写几行就会换一个新文件，旧文件又会被 --record-keep 删掉；请带单位，例如 100MB（0 表示从不换）",
}

func init() { maps.Copy(zhCLIMore, zhRecordMax) }
