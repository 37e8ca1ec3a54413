package i18n

// zhDanmu: messages of the danmu/ hardening of 2026-11-30 (reviews of the
// danmu packages), kept apart so that each package's messages live together.
var zhDanmu = map[string]string{
	// replay: a recorded line with more than one event on it
	"more after the event, from byte %d": "这一行在事件之后还有别的内容（从第 %d 字节起）",
}
