package i18n

// zhWebFixes: the overlay's and the panel's fixes of 2026-12 (a laser
// switch by any name, the panel's login lapsing while it is open).
var zhWebFixes = map[string]string{
	"laser: the rig has no laser switch": "激光：装置上没有激光开关",
}
