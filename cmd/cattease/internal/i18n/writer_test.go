package i18n

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
)

func TestWriterTranslatesLines(t *testing.T) {
	var b bytes.Buffer
	w := Wrap(&b, Chinese)
	in := "r.yaml:4:9: commands[0].do.switch: unknown switch \"lazer\"\n" +
		"something else\n" +
		"  \tthe rules file (default \"rules.yaml\")\n" +
		"  -v\tdebug logging\n" +
		"    \tstart a new record file at this size; the old one is renamed FILE-TIME (\"0\": never) (default \"100MB\")\n" +
		`{"msg":"3 problem(s)"}` + "\n" +
		"1 problem(s)"
	n, err := w.Write([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Write: %d, %v; want %d", n, err, len(in))
	}
	want := "r.yaml:4:9: commands[0].do.switch: 没有开关 \"lazer\"\n" +
		"something else\n" +
		"  \t规则文件（默认 \"rules.yaml\"）\n" +
		"  -v\t输出调试日志\n" +
		"    \t录制文件到这个大小就换新文件，旧文件改名为 文件-时间（\"0\"：不换）（默认 \"100MB\"）\n" +
		`{"msg":"3 problem(s)"}` + "\n" +
		"共 1 个问题"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWrapEnglishIsTheWriter(t *testing.T) {
	var b bytes.Buffer
	if Wrap(&b, English) != &b {
		t.Error("English wraps the writer")
	}
	if w, c := Unwrap(Wrap(&b, Chinese)); w != &b || c == nil {
		t.Errorf("Unwrap: %v %v", w, c)
	}
	if w, c := Unwrap(&b); w != &b || c != nil {
		t.Errorf("Unwrap of a plain writer: %v %v", w, c)
	}
}

// The wrapper is a slog.Handler like any other.
func TestHandlerConformance(t *testing.T) {
	var b bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&b, nil), For(Chinese))
	results := func() []map[string]any {
		var ms []map[string]any
		for _, line := range bytes.Split(b.Bytes(), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
}

func TestHandlerTranslatesTheMessageOnly(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&b, nil), For(Chinese)))
	log.With("file", "r.yaml").Error("rules not reloaded; the running rules stay", "err", "3 problem(s)")
	out := b.String()
	for _, want := range []string{`msg=规则没有重新加载，继续用正在运行的规则`, `file=r.yaml`, `err="3 problem(s)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("%q lacks %q", out, want)
		}
	}
	if NewHandler(slog.DiscardHandler, nil) != slog.DiscardHandler {
		t.Error("English wraps the handler")
	}
}
