// Package i18n puts cattease's terminal messages in the user's language:
// Chinese when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG zh_*;
// on Windows, where none of them is usually set, the display language),
// English otherwise, or as --lang zh|en says.
//
// The packages keep writing English. Their messages are translated at
// the edge, as they reach the terminal: a Writer translates each line
// written to stdout and stderr, and a Handler the message of each log
// record (attribute keys and values stay as they are: they are machine
// read). The catalogue's keys are the English printf formats exactly as
// the source writes them, so a message is matched against its format and
// the translation is filled with the text its verbs printed. A message
// the catalogue does not know stays English: nothing is ever lost.
//
// # Adding a message
//
// Write the English message in the code as usual, then add its format and
// the Chinese to zh_*.go. TestCatalogueCoversSource walks the Go source
// of every package whose messages reach the terminal (the CLI, the
// config and matcher, the engine and play layer, the chat sources, the
// drivers, MQTT, the web server, replay; its table lists them) and names
// every message that has no Chinese yet.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language of the messages.
type Lang int

// The languages cattease speaks.
const (
	English Lang = iota
	Chinese
)

// FromEnv picks the language: CATTEASE_LANG (zh or en) if it is set,
// for a service whose locale is C; else the locale, in POSIX order: the
// first of LC_ALL, LC_MESSAGES and LANG that is set decides. zh, zh_CN,
// zh_TW, zh_HK, zh.UTF-8 … are Chinese (simplified); anything else is
// English. When none of them is set, as on Windows, the user's preferred
// display language decides (zh-CN, zh-Hans-CN, zh-TW … are Chinese).
func FromEnv(getenv func(string) string) Lang {
	if l, err := parseLang(getenv("CATTEASE_LANG")); err == nil {
		return l
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return fromLocale(v)
		}
	}
	if langs := uiLanguages(); len(langs) > 0 {
		return fromLocale(langs[0]) // the first is the one the user chose
	}
	return English
}

// uiLanguages returns the user's display languages, preferred first, as
// BCP 47 tags ("zh-CN", "en-US"): Windows's, where no locale variable is
// set (lang_windows.go); none on other systems, whose locale is LANG. A
// variable so that the tests can stand in for Windows.
var uiLanguages = systemUILanguages

func fromLocale(v string) Lang {
	v = strings.ToLower(strings.TrimSpace(v))
	if rest, ok := strings.CutPrefix(v, "zh"); ok && (rest == "" || strings.ContainsRune("_.@-", rune(rest[0]))) {
		return Chinese
	}
	return English
}

// TakeFlag removes --lang zh|en (or -lang, --lang=…) from args, before any
// "--", and returns the language it names, or def when there is none.
func TakeFlag(args []string, def Lang) (Lang, []string, error) {
	out := make([]string, 0, len(args))
	l := def
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			out = append(out, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return def, args, fmt.Errorf("i18n: --lang needs a value: zh or en")
			}
			i++
			val = args[i]
		}
		var err error
		if l, err = parseLang(val); err != nil {
			return def, args, err
		}
	}
	return l, out, nil
}

func parseLang(v string) (Lang, error) {
	switch strings.ToLower(v) {
	case "":
		return English, fmt.Errorf("i18n: --lang needs a value: zh or en")
	case "en", "c", "posix":
		return English, nil
	}
	if fromLocale(v) == Chinese {
		return Chinese, nil
	}
	if strings.HasPrefix(strings.ToLower(v), "en") {
		return English, nil
	}
	return English, fmt.Errorf("i18n: unknown language %q: use zh or en", v)
}
