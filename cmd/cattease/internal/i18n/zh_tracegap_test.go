package i18n

import "testing"

// What run says of a --trace that lost lines, and what verify says of a
// gap, of a line the trace does not write, of a file that is no trace and
// of a violation's line reads in Chinese, the file, numbers and names kept.
func TestTraceGapMessagesTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"--trace: write failed; its lines are lost until a write works again",
			"--trace：写入失败；在又能写入之前，轨迹行都会丢失"},
		{"cattease: T.jsonl: monitor: trace line 7: 2 line(s) lost from 2026-11-22T10:00:00.02Z on (the run's writes to the trace failed, on a full disk say, and it wrote on after them): what the run did from here cannot be checked",
			"cattease: T.jsonl: monitor: 轨迹第 7 行：从 2026-11-22T10:00:00.02Z 起丢了 2 行（这次运行写轨迹失败了，比如磁盘写满，之后又接着写）：运行从这里起做了什么，无法检查"},
		{"cattease: /dev/null: monitor: no output or restart line: is this a trace? (--record files are for replay)",
			"cattease: /dev/null: monitor: 没有 output 行也没有 restart 行：这是轨迹文件吗？（run --record 录下的文件请用 replay）"},
		{`cattease: rec.jsonl: monitor: trace line 1: unknown kind "chat": is this a trace? (--record files are for replay)`,
			`cattease: rec.jsonl: monitor: 轨迹第 1 行：未知的 kind "chat"：这是轨迹文件吗？（run --record 录下的文件请用 replay）`},
		{`cattease: T.jsonl: monitor: trace line 4: unknown field "vlaue"`, `cattease: T.jsonl: monitor: 轨迹第 4 行：未知的字段 "vlaue"`},
		{"cattease: T.jsonl: monitor: trace line 4: no value", "cattease: T.jsonl: monitor: 轨迹第 4 行：没有 value"},
		{"violation: T.jsonl:5: 2026-11-22T10:00:02Z hold laser: laser lit while axis pan is not homed",
			"违规：T.jsonl:5：2026-11-22T10:00:02Z hold laser: 轴 pan 还没有回原位，激光就亮了"},
		{"violation: trace line 5: 2026-11-22T10:00:02Z hold laser: laser lit while axis pan is not homed",
			"违规：轨迹第 5 行：2026-11-22T10:00:02Z hold laser: 轴 pan 还没有回原位，激光就亮了"},
	} {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}
