package i18n

// zhWeb: messages of the web/ hardening of 2026-11-30 (reviews of the
// web packages), kept apart so that each package's messages live together.
var zhWeb = map[string]string{}
