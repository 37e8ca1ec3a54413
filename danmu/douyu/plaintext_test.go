package douyu_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// Plain TCP is used only when asked for, and then the log says what it
// costs: chat on it, moderators' and the streamer's included, can be
// forged on the way. A fake on this machine is not warned about.
func TestPlaintextAddrWarnsSynctest(t *testing.T) {
	for _, tc := range []struct {
		addr string
		warn bool
	}{
		{"tcp://danmuproxy.douyu.com:8601", true},
		{"ws://192.0.2.7:8501", true},
		{"tcp://127.0.0.1:8601", false},
		{"ws://localhost:8501", false},
		{"wss://danmuproxy.douyu.com", false},
	} {
		synctest.Test(t, func(t *testing.T) {
			srv := douyutest.NewPipeServer("9999")
			defer srv.Close()
			srv.AddAlias("cat")
			var log logBuf
			src := pipeSource(srv, &danmu.Counters{})
			src.Addr = tc.addr
			src.Log = slog.New(slog.NewTextHandler(&log, nil))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- src.Run(ctx, nil) }()
			synctest.Wait()
			cancel()
			<-done
			if got := strings.Contains(log.String(), "unencrypted connection"); got != tc.warn {
				t.Errorf("%s: warned %v, want %v:\n%s", tc.addr, got, tc.warn, log.String())
			}
		})
	}
}
