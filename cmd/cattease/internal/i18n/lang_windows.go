package i18n

import "golang.org/x/sys/windows"

// systemUILanguages returns the display languages of the user's Windows,
// preferred first ("zh-CN" on a Chinese Windows): there the locale
// variables are not set, and the Settings app's Windows display language
// is what the user reads. Nil if Windows cannot tell.
func systemUILanguages() []string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil {
		return nil
	}
	return langs
}
