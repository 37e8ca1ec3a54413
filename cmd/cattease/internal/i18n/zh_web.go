package i18n

// zhWeb: messages of the web/ hardening of 2026-11-30 (reviews of the
// web packages), kept apart so that each package's messages live together.
var zhWeb = map[string]string{
	"wrong token": "令牌错误",
	"too many wrong tokens; refusing tokens for a while": "令牌输错太多次，暂时拒绝再试",
}
