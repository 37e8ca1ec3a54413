package i18n

import "maps"

// zhMutes: what `cattease check` says of block_users entries that name a
// platform ("bilibili:12345678"), since block_users could name one.
var zhMutes = map[string]string{
	"%q names no one: write a uid or a name after the platform, as in %s:12345678":                                        "%q 没有指定任何人：在平台后面写上 uid 或昵称，例如 %s:12345678",
	"unknown platform %q in %q: the platforms are %s (as in bilibili:12345678); a bare uid or name is for every platform": "%[2]q 里的平台 %[1]q 不认识：平台只能是 %[3]s（例如 bilibili:12345678）；不写平台的 uid 或昵称对所有平台都有效",
}

// The table is built at the first use (zhTable), after every init: these
// join the configuration's messages.
func init() { maps.Copy(zhConfigMore, zhMutes) }
