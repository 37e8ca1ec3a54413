package config

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// The schemas of the types that decode themselves, built from the same
// spelling tables the parsers use (units.go, allow.go), with a Chinese and
// an English description for editors to show.

// The parsers read full-width characters as ASCII (width.Fold: ２０度,
// 75％, ｍｓ, as a Chinese input method types them) and any space as a
// space, the ideographic one too; the patterns accept the same.
const (
	sp     = "[\\s\u3000]"
	digit  = `[0-9０-９]`
	dot    = `[.．]`
	plus   = `[+＋]?`
	signed = `[+＋－-]?`
	numRE  = `(?:` + digit + `+(?:` + dot + digit + `*)?|` + dot + digit + `+)(?:[eEｅＥ]` + signed + digit + `+)?`
	durRE  = `(?:` + digit + `+(?:` + dot + digit + `*)?|` + dot + digit + `+)` // time.ParseDuration takes no exponent
)

// altRE is a regexp group matching any of words, longest first.
func altRE(words []string) string { return alt(words, false, false) }

// unitRE is altRE for the units the parsers read after width.Fold:
// each ASCII character may be typed full width too, and with spaced,
// spaces may come between the characters (measure drops them).
func unitRE(words []string, spaced bool) string { return alt(words, true, spaced) }

func alt(words []string, wide, spaced bool) string {
	ws := slices.Clone(words)
	slices.SortFunc(ws, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	for i, w := range ws {
		var b strings.Builder
		for j, r := range w {
			if spaced && j > 0 {
				b.WriteString(sp + "*")
			}
			switch {
			case wide && r > ' ' && r < 0x7f:
				b.WriteString("[" + regexp.QuoteMeta(string(r)) + string(r+0xfee0) + "]")
			default:
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		ws[i] = b.String()
	}
	return "(?:" + strings.Join(slices.Compact(ws), "|") + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// unitPattern is a string schema; patternErrorMessage is what VS Code's
// YAML extension shows instead of the bare pattern (validators ignore it).
func unitPattern(re, desc string, examples ...string) map[string]any {
	return map[string]any{"type": "string", "pattern": re, "description": desc, "examples": examples,
		"patternErrorMessage": desc}
}

var scalarSchemas = map[reflect.Type]func() map[string]any{
	reflect.TypeFor[Angle]():      angleSchema,
	reflect.TypeFor[Speed]():      speedSchema,
	reflect.TypeFor[Accel]():      accelSchema,
	reflect.TypeFor[Duration]():   durationSchema,
	reflect.TypeFor[Frequency]():  frequencySchema,
	reflect.TypeFor[QuietHours](): quietSchema,
	reflect.TypeFor[Allow]():      allowSchema,
	reflect.TypeFor[Label]():      labelSchema,
	reflect.TypeFor[Money]():      moneySchema,
	reflect.TypeFor[Percent]():    percentSchema,
}

func angleSchema() map[string]any {
	return unitPattern(`^`+sp+`*`+signed+numRE+sp+`*`+unitRE(degreeUnits, true)+sp+`*$`,
		"角度，带单位：10° 或 10度。An angle in degrees with its unit: 10°, 10度 or 10deg.", "10°", "10度", "-7.5°")
}

func speedSchema() map[string]any {
	return unitPattern(`^`+sp+`*`+plus+numRE+sp+`*`+unitRE(degreeUnits, true)+sp+`*`+unitRE(perSecond, true)+sp+`*$`,
		"角速度：120°/s 或 120度/秒。An angular speed: 120°/s, 120度/秒, 120deg/s or 120度每秒.", "120°/s", "120度/秒")
}

func accelSchema() map[string]any {
	return unitPattern(`^`+sp+`*`+plus+numRE+sp+`*`+unitRE(degreeUnits, true)+sp+`*`+unitRE(perSecond2, true)+sp+`*$`,
		"角加速度：600°/s² 或 600度/秒²。An angular acceleration: 600°/s², 600度/秒², 600deg/s2 or 600deg/s^2.", "600°/s²", "600度/秒²")
}

func durationSchema() map[string]any {
	s := unitPattern(`^`+sp+`*`+plus+`(?:`+sp+`*`+durRE+sp+`*`+unitRE(sortedKeys(durationUnits), false)+`)+`+sp+`*$`,
		"时长，带单位：3秒、2分钟、1小时、500毫秒、30s、1.5ms。A duration with its unit: 3秒, 2分钟, 30s, 1.5ms, 500us, 1h30m.",
		"3秒", "30s", "1.5ms")
	zero := map[string]any{"type": "string", "pattern": `^` + sp + `*` + signed + `[0０]` + sp + `*$`} // a bare zero
	return map[string]any{"anyOf": []any{s, map[string]any{"enum": []any{0}}, zero}, "description": s["description"]}
}

func frequencySchema() map[string]any {
	return unitPattern(`^`+sp+`*`+plus+numRE+sp+`*`+unitRE(sortedKeys(freqUnits), true)+sp+`*$`,
		"频率：50Hz、25MHz、25兆赫。A frequency: 50Hz, 1.5kHz, 25MHz.", "50Hz", "25MHz")
}

func quietSchema() map[string]any {
	return unitPattern(`^\s*(?:[0-9]{1,2}:[0-9]{2}\s*-\s*[0-9]{1,2}:[0-9]{2})?\s*$`,
		"每天的安静时段：23:00-08:00。A daily quiet window: 23:00-08:00 (may span midnight).", "23:00-08:00")
}

func allowSchema() map[string]any {
	words := append(sortedKeys(roleWords), sortedKeys(guardWords)...)
	guard := map[string]any{"anyOf": []any{
		map[string]any{"type": "integer", "minimum": 1, "maximum": MaxGuard},
		map[string]any{"enum": sortedKeys(guardWords)},
	}}
	return map[string]any{
		"description": "谁可以用：所有人、房管、主播、舰长/提督/总督、粉丝牌5，或 {guard: 舰长}、{medal: 10}。" +
			"Who may use the command: everyone, moderator, owner, a guard tier, a fan-medal level.",
		"anyOf": []any{
			map[string]any{"type": "string", "enum": words},
			map[string]any{"type": "string", "pattern": `^` + sp + `*` + altRE(medalPrefixes) + sp + `*` + plus + `[0０]*[1-9１-９]` + digit + `*` + sp + `*$`},
			map[string]any{"type": "object", "minProperties": 1, "additionalProperties": false,
				"properties": map[string]any{"guard": guard, "medal": map[string]any{"type": "integer", "minimum": 1}}},
		},
	}
}

func labelSchema() map[string]any {
	text := map[string]any{"type": "string", "minLength": 1, "maxLength": MaxLabelLen}
	return map[string]any{
		"description": "直播画面、控制面板和终端显示的名字：逗猫棒 或 {zh: 逗猫棒, en: Wand}。" +
			"The name the overlay, panel and terminal show: one word, or {zh: …, en: …}.",
		"anyOf": []any{text, map[string]any{"type": "object", "minProperties": 1, "additionalProperties": false,
			"properties": map[string]any{"zh": text, "en": text}}},
	}
}

func moneySchema() map[string]any {
	return map[string]any{"type": "string", "examples": []string{"30元", "¥0.5"},
		"description": "金额（人民币）：30元、¥0.5。An amount in CNY: 30元, ¥0.5."}
}

func percentSchema() map[string]any {
	return map[string]any{"description": "比例：75%、75％、百分之75 或 0.75。A share: 75%, 75％, 百分之75 or 0.75.", "anyOf": []any{
		map[string]any{"type": "number", "minimum": 0, "maximum": 1},
		map[string]any{"type": "string", "pattern": `^` + sp + `*(?:百分之` + sp + `*` + plus + numRE + `|` + plus + numRE + sp + `*[%％]?)` + sp + `*$`},
	}}
}

// fieldOverrides replace the schema of a field whose Go type says too
// little, keyed by "Struct.key".
var fieldOverrides = map[string]func() map[string]any{
	"Limits.bypass": func() map[string]any {
		return map[string]any{"type": "array", "items": map[string]any{"enum": sortedKeys(roleWords)},
			"description": "跳过冷却的身份：房管、主播。Roles that skip user and command cooldowns."}
	},
}

// fieldDocs describe fields, keyed by "Struct.key"; typeDocs describe
// structs. Fields without an entry get none.
var fieldDocs = map[string]string{
	"File.version":     "规则文件格式版本：1。The file format version: 1.",
	"File.hardware":    "硬件：驱动、舵机轴、开关（激光）。Hardware: the driver, servo axes and switches (the laser).",
	"File.safety":      "安全限制，任何弹幕和规则都越不过。Safety limits no chat and no rule can break.",
	"File.sources":     "弹幕来源：哔哩哔哩、斗鱼。Chat sources: Bilibili, Douyu.",
	"File.play":        "播放策略：排队或只留最新。The play policy: queue or latest.",
	"File.limits":      "频率限制与冷却。Rate limits and cooldowns.",
	"File.commands":    "弹幕指令。The chat commands.",
	"File.sequences":   "动作序列（画圈、之字…）。Named sequences of steps (circle, zigzag…).",
	"File.audit":       "决策日志。The decision log.",
	"File.web":         "直播画面叠加层和控制面板。The overlay and control panel.",
	"Command.name":     "指令名（英文，日志里用）。The command's name, used in logs.",
	"Command.aliases":  "观众输入的词：左、激光…。The words viewers type: 左, 激光…",
	"Command.regex":    "匹配第一个词的正则表达式。A regular expression for the first word.",
	"Command.do":       "做什么：move/by、switch/on、sequence、home、stop、resume。What the command does.",
	"Command.cooldown": "每条指令的冷却：3秒。The command's cooldown: 3秒, 3s.",
	"Command.label":    "显示名：逗猫棒 或 {zh: 逗猫棒, en: Wand}。The label shown on the overlay and panel.",
}

var typeDocs = map[string]string{
	"Axis":   "一个舵机轴及其运动限制。One servo axis and its motion limits.",
	"Switch": "开关输出：激光、零食机、继电器。An on/off output: a laser, a treat dispenser, a relay.",
	"Action": "指令的动作，只能有一个动词。What a command does; exactly one verb.",
}
