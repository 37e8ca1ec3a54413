//go:build !windows

package i18n

// systemUILanguages: outside Windows the locale variables are the whole
// story.
func systemUILanguages() []string { return nil }
