package i18n

// zhDanmu: messages of the danmu/ hardening of 2026-11-30 (reviews of the
// danmu packages), kept apart so that each package's messages live together.
var zhDanmu = map[string]string{}
