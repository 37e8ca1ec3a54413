package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
	"github.com/cattease/cattease/danmu/douyu"
	"github.com/cattease/cattease/danmu/douyu/douyutest"
)

// The rooms TestLiveSoak talks to: a fake server each, and the messages
// viewers send there.

// bilibiliRoom is the fake Bilibili. Its frames are DANMU_MSG from viewers
// not seen before, made by filling a DanmuMsg body's uid, text and id in
// place (cheap enough for 144,000 under the race detector); every tenth
// frame is one of four brotli-compressed ones, made once, whose 80 viewers
// repeat.
type bilibiliRoom struct {
	srv    *bilibilitest.Server
	tmpl   []byte
	uid    int
	brotli [][]byte
	frames int
}

const (
	soakUID  = "987654321" // nine digits, as the uids filled in
	soakText = "TEXTPLACEHOLDER"
	soakID   = "IDPLACEHOLDER000"
	soakMode = `\"mode\":0` // in extra, where an odd body escapes the 0
)

// soakTexts are what viewers type: commands, talk, repeats, emoji.
var soakTexts = []string{"左", "右3", "激光", "上", "哈哈哈哈", "猫猫好可爱", "左3+上2", "画圈", "🐱🐱", "下2",
	"主播晚上好", "666", "停", "之字", "？？"}

func newBilibiliRoom(t *testing.T) *bilibiliRoom {
	r := &bilibiliRoom{srv: bilibilitest.NewServer(bilibilitest.Config{}), uid: 100_000_000}
	t.Cleanup(func() {
		if v := r.srv.Violations(); len(v) > 0 {
			t.Errorf("protocol violations: %v", v)
		}
		r.srv.Close()
	})
	r.tmpl = bilibilitest.DanmuMsg(bilibilitest.Chat{Text: soakText, UID: 987654321, Name: "猫奴", IDStr: soakID, Level: 12})
	for _, ph := range []string{soakUID, soakText, soakID, soakMode} {
		if !bytes.Contains(r.tmpl, []byte(ph)) {
			t.Fatalf("template lacks %s", ph)
		}
	}
	if err := json.Indent(new(bytes.Buffer), r.tmpl, "", "  "); err != nil {
		t.Fatalf("template: %v", err)
	}
	for range 4 {
		bodies := make([][]byte, soakPerFrame)
		for j := range bodies {
			bodies[j] = r.body()
		}
		r.brotli = append(r.brotli, bilibilitest.BrotliFrame(bodies...))
	}
	return r
}

func (r *bilibiliRoom) args() []string {
	return []string{"--bilibili", "21", "--bilibili-api", r.srv.URL}
}

func (r *bilibiliRoom) connected(ctx context.Context, n int) error { return r.srv.WaitAuths(ctx, n) }
func (r *bilibiliRoom) cut()                                       { r.srv.DropMidFrame() }
func (r *bilibiliRoom) platform() string                           { return "bilibili" }

// body is the template filled for the next new viewer.
func (r *bilibiliRoom) body() []byte {
	r.uid++
	b := bytes.ReplaceAll(r.tmpl, []byte(soakUID), strconv.AppendInt(nil, int64(r.uid), 10))
	b = bytes.ReplaceAll(b, []byte(soakText), []byte(soakTexts[r.uid%len(soakTexts)]))
	return bytes.ReplaceAll(b, []byte(soakID), fmt.Appendf(nil, "%016x", r.uid))
}

// send writes a frame of new viewers' DANMU_MSG; every tenth frame is one
// of the compressed ones instead, and every tenth frame but five carries
// three odd bodies more that take the decoder's other ways:
// pretty-printed, extra with a \u escape (both chat), and one cut in half
// (refused).
func (r *bilibiliRoom) send() (chat, refused int) {
	if r.frames++; r.frames%10 == 0 {
		r.srv.SendFrame(r.brotli[r.frames/10%len(r.brotli)])
		return soakPerFrame, 0
	}
	var f []byte
	for range soakPerFrame {
		f = bilibili.AppendPacket(f, bilibili.VerJSON, bilibili.OpMessage, r.body())
	}
	chat = soakPerFrame
	if r.frames%10 == 5 {
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, r.body(), "", "  ") // the template is checked to be valid
		escaped := bytes.Replace(r.body(), []byte(soakMode), []byte(`\"mode\":\u0030`), 1)
		cut := r.body()
		for _, b := range [][]byte{pretty.Bytes(), escaped, cut[:len(cut)/2]} {
			f = bilibili.AppendPacket(f, bilibili.VerJSON, bilibili.OpMessage, b)
		}
		chat, refused = chat+2, 1
	}
	r.srv.SendFrame(f)
	return chat, refused
}

// douyuRoom is the fake Douyu: chatmsg from a new viewer each, over the
// WebSocket, twenty to a write.
type douyuRoom struct {
	srv    *douyutest.Server
	uid    int
	writes int
}

func newDouyuRoom(t *testing.T) *douyuRoom {
	r := &douyuRoom{srv: douyutest.NewServer("9999"), uid: 100_000_000}
	t.Cleanup(func() {
		if v := r.srv.Stats().Violations; v > 0 {
			t.Errorf("%d protocol violations", v)
		}
		r.srv.Close()
	})
	return r
}

func (r *douyuRoom) args() []string {
	return []string{"--douyu", "9999", "--douyu-addr", r.srv.URL(), "--douyu-api", "off"}
}

func (r *douyuRoom) connected(ctx context.Context, n int) error {
	return r.srv.Wait(ctx, func(s douyutest.Stats) bool { return s.Joins >= n })
}

func (r *douyuRoom) cut()             { r.srv.Drop() }
func (r *douyuRoom) platform() string { return "douyu" }

// send writes soakPerFrame chatmsg from new viewers, and every tenth
// write one body with a broken escape (refused).
func (r *douyuRoom) send() (chat, refused int) {
	var b []byte
	for range soakPerFrame {
		r.uid++
		uid := strconv.Itoa(r.uid)
		b = douyu.AppendMessage(b, douyu.TypeServer, douyu.Msg("type", "chatmsg", "rid", "9999", "uid", uid,
			"nn", "猫奴"+uid[6:], "txt", soakTexts[r.uid%len(soakTexts)], "cid", "c"+uid, "level", "12", "dms", "8"))
	}
	if r.writes++; r.writes%10 == 0 {
		b = douyu.AppendPacket(b, douyu.TypeServer, []byte("type@=chatmsg/rid@=9999/uid@=1/txt@=a@Xb/"))
		refused = 1
	}
	r.srv.SendRaw(b)
	return soakPerFrame, refused
}
