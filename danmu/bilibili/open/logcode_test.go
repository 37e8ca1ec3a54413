package open_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// No character of the 身份码 reaches the logs, not even the first and
// last two: with the code and any app's credentials, anyone can start a
// game in the room and keep cattease out of it. A fingerprint tells
// codes apart.
func TestLogsNoPartOfTheCode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const code = "QZXWVKJQZXWVM"
		var logs bytes.Buffer
		var c danmu.Counters
		srv, out, stop := pipeRun(t, opentest.Config{Code: code}, &c, func(srv *opentest.Server, s *open.Source) {
			s.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv.Fail("/v2/app/start", 5000) // a warning with the source's attributes
		})
		srv.Send(opentest.DM(opentest.User{OpenID: "o-1", Name: "a"}, "左"))
		if ev := <-out; ev.Text != "左" {
			t.Fatalf("event %+v", ev)
		}
		if err := stop(); !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
		l := logs.String()
		for n := 2; n <= len(code); n++ {
			if strings.Contains(l, code[:n]) || strings.Contains(l, code[len(code)-n:]) {
				t.Fatalf("the logs hold %d characters of the 身份码:\n%s", n, l)
			}
		}
		sum := sha256.Sum256([]byte(code))
		if want := "code_sha256=" + hex.EncodeToString(sum[:2]); !strings.Contains(l, want) || !strings.Contains(l, "starting again") {
			t.Errorf("no %s on the warning:\n%s", want, l)
		}
	})
}
