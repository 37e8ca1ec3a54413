package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/control"
	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
	"github.com/cattease/cattease/danmu/bilibili/open/opentest"
)

// TestBilibiliOpenEndToEnd runs `cattease run --dry-run --bilibili-code
// CODE --bilibili-open-api URL` against the fake Open Platform, with the
// web source beside it feeding the same engine.
func TestBilibiliOpenEndToEnd(t *testing.T) {
	open := opentest.NewServer(opentest.Config{})
	defer open.Close()
	web := bilibilitest.NewServer(bilibilitest.Config{})
	defer web.Close()
	cfg := open.Config()
	secret := filepath.Join(t.TempDir(), "bilibili-open-secret")
	if err := os.WriteFile(secret, []byte(cfg.AccessKeySecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CATTEASE_BILIBILI_APP_ID", strconv.FormatInt(cfg.AppID, 10))
	t.Setenv("CATTEASE_BILIBILI_ACCESS_KEY_ID", cfg.AccessKeyID)
	t.Setenv("CATTEASE_BILIBILI_ACCESS_KEY_SECRET_FILE", secret)
	record := filepath.Join(t.TempDir(), "events.jsonl")

	decisions := make(chan control.Decision, 256)
	testHookDecision = func(d control.Decision) {
		select {
		case decisions <- d:
		default:
		}
	}
	defer func() { testHookDecision = nil }()
	rigOf := captureRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines, wait := startCLI(t, ctx, strings.NewReader(""), "run", "--listen", "off", "--dry-run", "-c", "../../rules.yaml",
		"--record", record, "--bilibili-code", cfg.Code, "--bilibili-open-api", open.URL,
		"--bilibili", "21", "--bilibili-api", web.URL)
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := open.Wait(wctx, func(s opentest.Stats) bool { return s.Auths >= 1 }); err != nil {
		t.Fatal("open platform never authenticated:", err)
	}
	if err := web.WaitAuths(wctx, 1); err != nil {
		t.Fatal("web never authenticated:", err)
	}

	open.Send(opentest.DM(opentest.User{OpenID: "viewer-1", Name: "猫奴"}, "左"))
	waitLine(t, lines, "pan -5.0°")
	web.Send(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "右3", UID: 43, Name: "路人"}))
	waitLine(t, lines, "pan +10.0°")

	gift := opentest.Gift(opentest.User{OpenID: "viewer-2", Name: "金主", Medal: 8}, "小花花", 10, 100)
	open.Send(gift)
	var giftID string
	for giftID == "" {
		select {
		case d := <-decisions:
			if d.UserID == "viewer-2" {
				// 10 × 小花花 is 1元: the shipped gift lane's first tier.
				if d.Reason != control.ReasonGift || d.Grant == nil || d.Grant.Priority != 3 || d.Platform != "bilibili" {
					t.Fatalf("gift decision %+v", d)
				}
				giftID = d.EventID
			}
		case <-wctx.Done():
			t.Fatal("the gift never reached the engine")
		}
	}

	open.Send(opentest.DM(opentest.User{OpenID: "viewer-3", Name: "路人甲"}, "停"))
	open.Send(opentest.DM(opentest.User{OpenID: "mod-1", Name: "房管", Admin: true}, "停"))
	waitLine(t, lines, "EMERGENCY STOP")
	// The viewer's 停 was refused: only the platform's moderator flag allows it.
	for refused := false; !refused; {
		select {
		case d := <-decisions:
			if d.UserID == "viewer-3" {
				if d.Outcome != control.Dropped || d.Reason != control.ReasonPermission {
					t.Fatalf("a viewer's 停: %+v", d)
				}
				refused = true
			}
			if d.UserID == "mod-1" && d.Role != danmu.RoleModerator {
				t.Fatalf("moderator decision %+v", d)
			}
		case <-wctx.Done():
			t.Fatal("no decision for the viewer's 停")
		}
	}

	cancel() // what SIGINT does through signal.NotifyContext
	if code := wait(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	// The game was ended before run returned, not some time after.
	if st := open.Stats(); st.Ends != 1 || len(st.Active) != 0 || len(st.Violations) > 0 || st.Starts != 1 {
		t.Errorf("open platform: %+v", st)
	}
	if v := web.Violations(); len(v) > 0 {
		t.Errorf("web protocol violations: %v", v)
	}
	assertHalted(t, rigOf())

	ev := recordedEvent(t, record, giftID)
	if ev.Kind != danmu.KindGift || ev.Gift.ValueCents != 100 || ev.Gift.Count != 10 || ev.User.Medal != 8 || ev.Room != "4639581" {
		t.Errorf("recorded gift %+v", ev)
	}
}

// recordedEvent finds the event with id in a --record file.
func recordedEvent(t *testing.T, path, id string) danmu.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev danmu.Event
		if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.ID == id {
			return ev
		}
	}
	t.Fatalf("event %s not in %s", id, path)
	return danmu.Event{}
}

// Without app credentials --bilibili-code fails at once, naming the fix.
func TestBilibiliCodeNeedsCredentials(t *testing.T) {
	for _, k := range []string{"CATTEASE_BILIBILI_APP_ID", "CATTEASE_BILIBILI_ACCESS_KEY_ID", "CATTEASE_BILIBILI_ACCESS_KEY_SECRET_FILE"} {
		t.Setenv(k, "")
	}
	var stderr strings.Builder
	code := cli(context.Background(), []string{"run", "--listen", "off", "--dry-run", "-q", "-c", "../../rules.yaml",
		"--bilibili-code", "TESTCODE42", "--bilibili-open-api", "http://127.0.0.1:1"}, strings.NewReader(""), io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "sources.bilibili_open") || strings.Contains(stderr.String(), "TESTCODE42") {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
}
