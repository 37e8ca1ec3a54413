package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cattease/cattease/cmd/cattease/internal/i18n"
)

// A full disk under the audit log and the --record file: the warning and
// the all-clear reach a Chinese terminal in Chinese, the file's name too.
func TestLogFileTroubleInChinese(t *testing.T) {
	for name, zh := range map[string]string{"audit log": "审计日志", "record": "录制文件"} {
		synctest.Test(t, func(t *testing.T) {
			var logs syncBuffer
			log := slog.New(i18n.NewHandler(slog.NewTextHandler(&logs, nil), i18n.For(i18n.Chinese)))
			path := filepath.Join(t.TempDir(), "f.jsonl")
			full, mu := true, &sync.Mutex{}
			open := func(p string) (logSink, int64, error) {
				f, size, err := openAppend(p, 0o600)
				if err != nil {
					return nil, 0, err
				}
				return flakyFile{f.(*os.File), &full, mu}, size, nil
			}
			lf, err := openLogFile(path, logFileOptions{Name: name, Log: log, Interval: 500 * time.Millisecond, open: open})
			if err != nil {
				t.Fatal(err)
			}
			lf.Write([]byte("1\n"))
			time.Sleep(time.Second)
			synctest.Wait()
			mu.Lock()
			full = false
			mu.Unlock()
			time.Sleep(time.Second)
			synctest.Wait()
			if err := lf.Close(); err != nil {
				t.Fatal(err)
			}
			got := logs.String()
			for _, want := range []string{"msg=" + zh + "：写入失败；事件先留在内存里，稍后重试", "msg=" + zh + "：又能写入了"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s: no %q in\n%s", name, want, got)
				}
			}
			if strings.Contains(got, "write failed") || strings.Contains(got, "writing again") {
				t.Errorf("%s: English left in\n%s", name, got)
			}
		})
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// check with a state directory it cannot use: the advice is Chinese with
// the rest of the line.
func TestCheckLedgerAdviceInChinese(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("STATE_DIRECTORY", filepath.Join(file, "state")) // under a file: even root cannot make it
	code, _, errs := runCLI(t, "", "--lang", "zh", "check", "-c", "../../rules.yaml")
	if code != 1 || !strings.Contains(errs, "safety.state_file: 无法在 ") ||
		!strings.Contains(errs, "加 --dry-run 运行，或者把 STATE_DIRECTORY 设成一个可写的目录") {
		t.Fatalf("code %d:\n%s", code, errs)
	}
	for _, en := range []string{"run with", "writable directory", "absolute path"} {
		if strings.Contains(errs, en) {
			t.Errorf("%q left English in:\n%s", en, errs)
		}
	}
}
