package i18n

import "testing"

// What verify prints of the monitor's newer rules reads in Chinese, the
// numbers and names kept.
func TestMonitorRulesMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"violation: 2026-11-29T10:00:00.06Z late pan: the motion loop sent nothing for 64ms while pan moved at 15.9°/s: the servo stopped without braking; the machine was too busy",
			"违规：2026-11-29T10:00:00.06Z late pan: 运动循环 64ms 没有发出任何输出，而 pan 正以 15.9°/s 转动：舵机没有刹车就停下了；机器太忙"},
		{"violation: 2026-11-29T12:05:00.02Z stop pan: angle 0° sent under an emergency stop kept over a restart: no pulse, not even to go home, until the resume",
			"违规：2026-11-29T12:05:00.02Z stop pan: 重启后急停仍然有效，却发了角度 0°：恢复之前舵机收不到任何脉冲，连回原位也不行"},
		{"violation: 2026-11-29T10:00:00.02Z stop tilt: angle 20° sent during the emergency stop to a servo not homed before it: no pulse, not even to go home, until the resume",
			"违规：2026-11-29T10:00:00.02Z stop tilt: 急停前还没回原位的舵机在急停期间收到了角度 20°：恢复之前它收不到任何脉冲，连回原位也不行"},
		{"violation: 2026-11-29T10:00:00.215000001Z stop pan: not limp 130.000001ms after the emergency stop, longer than braking and a tick take: a stopped servo goes limp",
			"违规：2026-11-29T10:00:00.215000001Z stop pan: 急停 130.000001ms 后舵机仍未松开，比刹车再加一拍的时间还长：急停后舵机应当松开"},
		{"violation: 2026-11-29T12:00:02.02Z keep_out window: lit move (-32.1°, 27.9°)→(-31.9°, 28.05°) may bow into the zone: the servos move together, each at its own speed, anywhere in the box between the two dots",
			"违规：2026-11-29T12:00:02.02Z keep_out window: 亮着的光点从 (-32.1°, 27.9°) 移到 (-31.9°, 28.05°)，可能弯进禁区：两个舵机同时各按自己的速度转，光点可能经过两点围成的方框里的任何地方"},
		{"violation: 2026-11-29T10:00:00.04Z keep_out window: lit move (-32.1°, 27.9°)→(-31.9°, 27.95°) may bow 0.05° of beam angle from the zone at (-32°, 27.95°), within the margin 0.051°: the servos move together, anywhere in the box between the two dots",
			"违规：2026-11-29T10:00:00.04Z keep_out window: 亮着的光点从 (-32.1°, 27.9°) 移到 (-31.9°, 27.95°)，可能弯到 (-32°, 27.95°)，离禁区只有 0.05°（光束夹角），在边距 0.051° 之内：两个舵机同时转，光点可能经过两点围成的方框里的任何地方"},
		{"violation: 2026-11-29T10:00:00.03Z keep_out box: laser lit 10ms after the angles of a move the servos were still making: lit move (9°, 19°)→(11°, 21°) may bow into the zone: the servos move together, each at its own speed, anywhere in the box between the two dots",
			"违规：2026-11-29T10:00:00.03Z keep_out box: 舵机还在执行一次移动时（它的角度发出后 10ms）激光就亮了：亮着的光点从 (9°, 19°) 移到 (11°, 21°)，可能弯进禁区：两个舵机同时各按自己的速度转，光点可能经过两点围成的方框里的任何地方"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
