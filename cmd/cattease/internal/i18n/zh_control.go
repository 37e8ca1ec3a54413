package i18n

// zhControl: messages of the control/ hardening of 2026-11-30 (reviews of the
// control packages), kept apart so that each package's messages live together.
var zhControl = map[string]string{}
