package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cattease/cattease/actuators/safety"
	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/control/config"
	"github.com/cattease/cattease/web"
)

// view prints what happens on the terminal: each command's fate and the
// rig's position as it moves. It never blocks the engine: decisions go
// through a buffered channel, and a lagging terminal loses view lines
// (counted), never events.
type view struct {
	w       io.Writer // below the translating writer (newTerminalView)
	on      bool
	ch      chan control.Decision
	dropped atomic.Uint64
	// labels are the commands' labels (rules.yaml label:), shown instead
	// of their names; set before run.
	labels map[string]config.Label
	zh     bool // the terminal's language is Chinese
	// file, if set, is the config in force (the engine's, after reloads):
	// labels follow it.
	file func() *config.File
	seen *config.File
}

func newView(w io.Writer, on bool) *view {
	return &view{w: w, on: on, ch: make(chan control.Decision, 256)}
}

func (v *view) decision(d control.Decision) {
	if !v.on || d.Outcome == control.Ignored || d.Reason == control.ReasonRan {
		return
	}
	select {
	case v.ch <- d:
	default:
		v.dropped.Add(1)
	}
}

// output is the envelope's OnOutput hook; the view polls state instead.
func (v *view) output(safety.Output) {}

func (v *view) run(ctx context.Context, env interface{ Snapshot() safety.State }) error {
	if !v.on {
		<-ctx.Done()
		return nil
	}
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			for len(v.ch) > 0 {
				fmt.Fprintln(v.w, formatDecision(<-v.ch, v.currentLabels(), v.zh))
			}
			if s := formatState(env.Snapshot(), v.zh); s != last {
				fmt.Fprintln(v.w, s)
			}
			if n := v.dropped.Load(); n > 0 { // a message of the catalogue
				fmt.Fprintf(i18n.Wrap(v.w, v.lang()), "(%d decisions not shown: terminal too slow)\n", n)
			}
			return nil
		case d := <-v.ch:
			fmt.Fprintln(v.w, formatDecision(d, v.currentLabels(), v.zh))
		case <-t.C:
			if s := formatState(env.Snapshot(), v.zh); s != last {
				fmt.Fprintln(v.w, s)
				last = s
			}
		}
	}
}

// lang is the language of the view's own messages.
func (v *view) lang() i18n.Lang {
	if v.zh {
		return i18n.Chinese
	}
	return i18n.English
}

// currentLabels returns the labels of the rules in force, recomputed only
// when a reload brought a new file.
func (v *view) currentLabels() map[string]config.Label {
	if v.file == nil {
		return v.labels
	}
	if f := v.file(); f != v.seen {
		v.seen, v.labels = f, f.Labels()
	}
	return v.labels
}

// viewWords are the live view's own words, English and Chinese.
var viewWords = map[bool]map[string]string{
	false: {"retry": " retry in %.1fs", "policy": " policy ", "priority": " priority×%d", "extra": " extra×%d",
		"exclusive": " 包场 %s", "pattern": " pattern ", "until": " until ",
		"on": "ON", "off": "off", "dark": "dark (%s)", "stop": "  [EMERGENCY STOP]",
		"wand": " wand: ", "sep": ", ", "far left": "far left", "left": "left", "centre": "centre", "right": "right",
		"far right": "far right", "floor": "on the floor", "low": "low", "mid": "mid-height", "high": "high",
		"moving left": "moving left", "moving right": "moving right", "dropping": "dropping", "rising": "rising",
		"let go": "let go", "cooling": "servo cooling", "no state": " (the rig reports nothing: link down?)"},
	true: {"retry": " %.1f秒后可再试", "policy": " 模式 ", "priority": " 插队×%d", "extra": " 额外×%d",
		"exclusive": " 包场 %s", "pattern": " 花样 ", "until": " 到 ",
		"on": "开", "off": "关", "dark": "暗（%s）", "stop": "  [急停]",
		"wand": " 逗猫棒：", "sep": "，", "far left": "最左", "left": "偏左", "centre": "中间", "right": "偏右",
		"far right": "最右", "floor": "贴地", "low": "低处", "mid": "半高", "high": "高处",
		"moving left": "向左移动", "moving right": "向右移动", "dropping": "下降", "rising": "上升",
		"let go": "已松开", "cooling": "舵机冷却中", "no state": " （设备没有报告状态：连接断了？）",
		"queue": "排队", "latest": "最新优先", "vote": "投票", "fair": "轮流",
		"who:viewer": "观众", "who:panel": "面板", "who:vote": "投票"},
}

// word is w's word for k, or k itself: the Chinese view names policies
// and its own speakers (the console's anonymous viewer, the panel, a
// vote's result) in Chinese, the English view as the audit log does.
func word(w map[string]string, k string) string {
	if t, ok := w[k]; ok {
		return t
	}
	return k
}

// speaker is the name a decision is shown under: a viewer's own name, or
// the view's word for a speaker cattease made up (by platform, so that a
// viewer named "panel" stays that viewer).
func speaker(d control.Decision, w map[string]string) string {
	key := ""
	switch {
	case d.Platform == "panel" || d.Platform == "vote":
		key = "who:" + d.Platform
	case d.Platform == "console" && d.UserName == "viewer":
		key = "who:viewer"
	}
	if t, ok := w[key]; ok {
		return t
	}
	return termSafe(d.UserName, maxViewName)
}

// labelled is a rule, combo or pattern name with each command in it
// called by its label: "circle+circle" → "画圈+画圈", "left×3+up×2" →
// "← 左×3+↑ 上×2".
func labelled(name string, labels map[string]config.Label, lang string) string {
	if name == "" || len(labels) == 0 {
		return name
	}
	parts := strings.Split(name, "+")
	for i, p := range parts {
		rule, count, _ := strings.Cut(p, "×")
		if l := labels[rule].For(lang); l != "" {
			rule = l
		}
		if count != "" {
			rule += "×" + count
		}
		parts[i] = rule
	}
	return strings.Join(parts, "+")
}

// viewDuration is d as the view says it: "2分钟", "1小时30分钟", "45秒" in
// Chinese, "2m", "1h30m", "45s" in English.
func viewDuration(d time.Duration, zh bool) string {
	d = d.Round(time.Second)
	h, m, sec := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	units := [3]string{"h", "m", "s"}
	if zh {
		units = [3]string{"小时", "分钟", "秒"}
	}
	var b strings.Builder
	for i, n := range [3]int{h, m, sec} {
		if n > 0 {
			fmt.Fprintf(&b, "%d%s", n, units[i])
		}
	}
	if b.Len() == 0 {
		return "0" + units[2]
	}
	return b.String()
}

// viewUntil is when something ends, with its date when that is not the
// day of the decision (a 1天 mute ends tomorrow at the same time).
func viewUntil(until, now time.Time) string {
	until, now = until.Local(), now.Local()
	if y, m, d := until.Date(); now.IsZero() || y != now.Year() || m != now.Month() || d != now.Day() {
		return until.Format("01-02 15:04:05")
	}
	return until.Format("15:04:05")
}

// formatDecision is one line for a decision, in Chinese when zh; a command
// with a label is called by its label, and the reason by the overlay's text
// for it (in English, the reason key, as the audit log has it). What came
// from chat (a name, the text, a gift, a target) goes through termSafe: it
// is one line, and holds nothing a terminal would obey.
func formatDecision(d control.Decision, labels map[string]config.Label, zh bool) string {
	w := viewWords[zh]
	who := speaker(d, w)
	if who == "" {
		who = "?"
	}
	lang, reason := "zh", string(d.Reason)
	if !zh {
		lang = "en"
	} else {
		reason = web.ReasonText(d.Reason, true)
	}
	rule := labelled(d.Rule, labels, lang)
	if d.Repeat > 1 {
		rule = fmt.Sprintf("%s ×%d", rule, d.Repeat)
	}
	mark := "✔"
	if d.Outcome == control.Dropped {
		mark = "✘"
	}
	line := fmt.Sprintf("%s %s: %s → %s (%s)", mark, who, termSafe(d.Text, maxViewText), termSafe(rule, 0), reason)
	if d.RetryAfter > 0 {
		line += fmt.Sprintf(w["retry"], d.RetryAfter.Seconds())
	}
	return line + roomDetail(d, labels, lang)
}

// roomDetail spells out a decision's room fields: a combo's parts, whom a
// moderator acted on, a new policy, and what a gift bought; each through
// termSafe, as formatDecision's.
func roomDetail(d control.Decision, labels map[string]config.Label, lang string) string {
	zh := lang == "zh"
	w := viewWords[zh]
	var b strings.Builder
	if d.Combo != "" {
		b.WriteString(" [" + termSafe(labelled(d.Combo, labels, lang), 0) + "]")
	}
	if d.Target != "" {
		b.WriteString(" → " + termSafe(d.Target, maxViewName))
	}
	if d.Policy != "" {
		b.WriteString(w["policy"] + termSafe(word(w, d.Policy), maxViewName))
	}
	if g := d.Grant; g != nil {
		fmt.Fprintf(&b, " %s×%d %.2f元:", termSafe(g.Gift, maxViewName), max(g.Count, 1), float64(g.ValueCents)/100)
		if g.Priority > 0 {
			fmt.Fprintf(&b, w["priority"], g.Priority)
		}
		if g.Extra > 0 {
			fmt.Fprintf(&b, w["extra"], g.Extra)
		}
		if g.Exclusive > 0 {
			fmt.Fprintf(&b, w["exclusive"], viewDuration(g.Exclusive, zh))
		}
		if g.Pattern != "" {
			b.WriteString(w["pattern"] + termSafe(labelled(g.Pattern, labels, lang), 0))
		}
	}
	if !d.Until.IsZero() && d.Reason != control.ReasonVoted {
		b.WriteString(w["until"] + viewUntil(d.Until, d.Time))
	}
	return b.String()
}

// formatState is the rig's line of the live view, in Chinese when zh: the
// view writes it below the translating writer, so its words are its own.
func formatState(st safety.State, zh bool) string {
	w := viewWords[zh]
	var b strings.Builder
	b.WriteString("   ")
	if isWand(st) {
		b.WriteString(w["wand"] + wandWords(st, w) + " |")
	}
	for _, a := range st.Axes {
		fmt.Fprintf(&b, " %s %+.1f°", a.Name, a.Pos)
		if math.Abs(a.Pos-a.Target) >= 0.05 { // moving, as shown to 0.1°
			fmt.Fprintf(&b, "→%+.1f°", a.Target)
		}
	}
	for _, s := range st.Switches {
		state := w["off"]
		switch {
		case s.On:
			state = w["on"]
		case s.Requested && s.Reason != "": // asked for, held dark: say why
			why := string(s.Reason)
			if zh {
				why = web.ReasonText(s.Reason, true)
			}
			state = fmt.Sprintf(w["dark"], why)
		}
		fmt.Fprintf(&b, " %s %s", s.Name, state)
	}
	if len(st.Axes) == 0 && len(st.Switches) == 0 {
		b.WriteString(w["no state"])
	}
	if st.Stopped {
		b.WriteString(w["stop"])
	}
	return b.String()
}

// isWand reports whether the rig is a wand: aiming axes and no laser.
func isWand(st safety.State) bool {
	if st.PanAxis == "" {
		return false
	}
	for _, s := range st.Switches {
		if s.Laser {
			return false
		}
	}
	for _, a := range st.Axes {
		if a.Name == st.PanAxis {
			return true
		}
	}
	return false
}

// wandWords says where the feather is, as a viewer would, in w's
// language: "left, low, moving right", "centre, on the floor, let go".
func wandWords(st safety.State, w map[string]string) string {
	var words []string
	var pan, lift *safety.AxisState
	for i := range st.Axes {
		switch st.Axes[i].Name {
		case st.PanAxis:
			pan = &st.Axes[i]
		case st.TiltAxis:
			lift = &st.Axes[i]
		}
	}
	side := func(a *safety.AxisState, x float64) string {
		half := math.Max(a.Max-a.Home, a.Home-a.Min)
		u := 0.0
		if half > 0 {
			u = (x - a.Home) / half
		}
		switch {
		case u < -0.6:
			return w["far left"]
		case u < -0.15:
			return w["left"]
		case u <= 0.15:
			return w["centre"]
		case u <= 0.6:
			return w["right"]
		}
		return w["far right"]
	}
	height := func(a *safety.AxisState, x float64) string {
		u := 0.0
		if a.Max > a.Min {
			u = (x - a.Min) / (a.Max - a.Min)
		}
		switch {
		case u < 0.08:
			return w["floor"]
		case u < 0.4:
			return w["low"]
		case u < 0.7:
			return w["mid"]
		}
		return w["high"]
	}
	words = append(words, side(pan, pan.Pos))
	if lift != nil {
		words = append(words, height(lift, lift.Pos))
	}
	switch d := pan.Target - pan.Pos; {
	case d <= -0.05:
		words = append(words, w["moving left"])
	case d >= 0.05:
		words = append(words, w["moving right"])
	}
	if lift != nil {
		switch d := lift.Target - lift.Pos; {
		case d <= -0.05:
			words = append(words, w["dropping"])
		case d >= 0.05:
			words = append(words, w["rising"])
		}
	}
	limp := !pan.Attached && (lift == nil || !lift.Attached)
	if limp {
		words = append(words, w["let go"])
	}
	if pan.Resting || (lift != nil && lift.Resting) {
		words = append(words, w["cooling"])
	}
	return strings.Join(words, w["sep"])
}
