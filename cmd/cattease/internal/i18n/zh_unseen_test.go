package i18n

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/actuators"
	"github.com/cattease/cattease/actuators/mock"
	"github.com/cattease/cattease/actuators/servo"
	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/web"
)

// records keeps the message of each log record.
type records struct{ msgs *[]string }

func (records) Enabled(context.Context, slog.Level) bool { return true }
func (r records) Handle(_ context.Context, rec slog.Record) error {
	*r.msgs = append(*r.msgs, rec.Message)
	return nil
}
func (r records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r records) WithGroup(string) slog.Handler      { return r }

const guestZH = "：B站对游客隐藏观众的名字和 uid，所以按观众区分的规则、主播和房管身份都不起作用；请设置一个带 SESSDATA 的 cookie 文件"

// The Bilibili guest warning, as a run without a cookie file logs it
// through the log's translating handler, and with its other reasons.
func TestBilibiliGuestWarningTranslates(t *testing.T) {
	var msgs []string
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the warning comes before any connection: none is made
	src := &bilibili.Source{Room: "21144080", Log: slog.New(NewHandler(records{&msgs}, For(Chinese)))}
	_ = src.Stream(ctx, nil)
	want := "bilibili: 未登录（没有带 SESSDATA 的 cookie 文件）" + guestZH
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("logged %q\n\twant %q", msgs, want)
	}
	for why, zh := range map[string]string{
		"the cookie file's SESSDATA was not accepted; it may have expired": "cookie 文件里的 SESSDATA 没被接受，可能已经过期",
		"the server sent LOG_IN_NOTICE":                                    "服务器发来了 LOG_IN_NOTICE（要求登录）",
	} {
		// as warnGuest writes it
		msg := "bilibili: not logged in (" + why + "): Bilibili masks viewers' names and uids for guests, so per-user rules, " +
			"owner and moderator roles will not work; set a cookie file with SESSDATA"
		if got, want := For(Chinese).Translate(msg), "bilibili: 未登录（"+zh+"）"+guestZH; got != want {
			t.Errorf("%q\n\tread %q\n\twant %q", msg, got, want)
		}
	}
}

// The web server's errors as run and check print them: a token file
// others can read or that holds no token, no token on the network.
func TestWebTokenErrorsTranslate(t *testing.T) {
	dir := t.TempDir()
	var cases []struct{ msg, want string }
	add := func(prefix string, err error, want string) {
		t.Helper()
		if err == nil {
			t.Fatalf("no error for %q", want)
		}
		cases = append(cases, struct{ msg, want string }{prefix + err.Error(), want})
	}

	if runtime.GOOS != "windows" { // a mode says nothing there
		open := filepath.Join(dir, "open-token")
		if err := os.WriteFile(open, []byte(strings.Repeat("t", 40)), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(open, 0o644); err != nil {
			t.Fatal(err)
		}
		add("rules.zh.yaml:308:15: web.token_file: ", web.CheckTokenFileMode(open),
			"rules.zh.yaml:308:15: web.token_file: web: 令牌文件 "+open+" 别的用户也能读（权限 0644）；请对它执行 chmod 600")
	}
	short := filepath.Join(dir, "short-token")
	if err := os.WriteFile(short, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := web.LoadOrCreateToken(short)
	add("cattease: ", err, "cattease: web: 令牌文件 "+short+"：里面应只有一个令牌，至少 "+
		strconv.Itoa(web.MinTokenLen)+" 个可打印的 ASCII 字符，不能含 \"、\\、;、, 或空格")
	large := filepath.Join(dir, "large-token")
	if err := os.WriteFile(large, make([]byte, 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = web.LoadOrCreateToken(large)
	add("cattease: ", err, "cattease: web: 令牌文件 "+large+"：太大了，不会是一个令牌")

	add("cattease: ", (&web.Server{}).Run(context.Background(), "0.0.0.0:8080"),
		`cattease: web: 没有令牌，拒绝在 "0.0.0.0:8080" 上监听：控制接口会对整个网络开放`)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	add("cattease: ", (&web.Server{Exposure: web.ExposureNetwork}).Serve(context.Background(), ln),
		"cattease: web: 没有令牌，拒绝在 "+addr+" 上提供服务：控制接口会对整个网络开放")

	for _, c := range cases {
		if got := For(Chinese).TranslateLine(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}

// What the control API refuses, as its errors read: the panel shows
// them, and a log may carry them.
func TestWebControlErrorsTranslate(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{`web: timeout: bad duration "1y": write e.g. 10m or 1h, at most 720h`, `web: timeout：时长 "1y" 有误：请写成 10m 或 1h 这样，最长 720h`},
		{"web: moderation is not available in this engine", "web: 这个引擎不支持房管操作（禁言、包场）"},
		{"web: moderation: name a viewer (name or uid)", "web: 房管操作：请指定一位观众（名字或 uid）"},
		{"web: moderation: the name or uid is too long (at most 64 bytes)", "web: 房管操作：名字或 uid 太长（最多 64 字节）"},
		{"web: moderation: the name or uid has control characters", "web: 房管操作：名字或 uid 里有控制字符"},
		{`web: laser: want "enabled": true or false`, `web: 激光：需要 "enabled": true 或 false`},
		{`web: laser: no switch "laser2"`, `web: 激光：没有开关 "laser2"`},
		{"web: reload is not available", "web: 这里不能重新加载规则"},
		{`web: bad arguments: enabled="maybe" is not a boolean`, `web: 参数有误：enabled="maybe" 不是布尔值`},
		{"web: too many event streams from this address", "web: 这个地址打开的事件流太多"},
		{"web: too many event streams", "web: 事件流太多"},
		{"web: listen: listen tcp 127.0.0.1:8080: bind: address already in use", "web: 监听失败：listen tcp 127.0.0.1:8080: bind: 地址已被占用"},
	} {
		if got := For(Chinese).Translate(c.msg); got != c.want {
			t.Errorf("%q\n\tread %q\n\twant %q", c.msg, got, c.want)
		}
	}
}

// jog's errors of a pulse or an angle outside the calibration, on
// --dry-run's mock and on the servo drivers, as jog prints them.
func TestJogErrorsTranslate(t *testing.T) {
	ctx := context.Background()
	cal := servo.Calibration{PulseMin: 500 * time.Microsecond, PulseMax: 2500 * time.Microsecond, AngleMin: -45, AngleMax: 45}
	pan := mock.New("pan", actuators.KindAxis, mock.Limits{Min: -45, Max: 45}, nil)
	if err := pan.Calibrate(cal); err != nil {
		t.Fatal(err)
	}
	bare := mock.New("tilt", actuators.KindAxis, mock.Limits{Min: -45, Max: 45}, nil)
	laser := mock.New("laser", actuators.KindSwitch, mock.Limits{}, nil)
	_, pulseErr := cal.Pulse(90)
	_, angleErr := cal.Angle(3 * time.Millisecond)
	for _, c := range []struct {
		err  error
		want string
	}{
		{pan.SetPulse(ctx, 3*time.Millisecond), "mock: pan: servo: 原始脉冲 3ms 超出允许范围 500µs..2.5ms：actuators: 数值超出范围"},
		{pan.Do(ctx, actuators.Command{Action: actuators.ActionAngle, Value: 90}), "mock: pan：角度 90 超出 [-45, 45]：actuators: 数值超出范围"},
		{bare.SetPulse(ctx, time.Millisecond), "mock: tilt：原始脉冲需要这个轴的舵机校准：actuators: 不支持的动作"},
		{laser.SetPulse(ctx, time.Millisecond), "mock: laser：原始脉冲不能用在 开关 上：actuators: 不支持的动作"},
		{laser.Calibrate(cal), "mock: laser：舵机校准不能用在 开关 上：actuators: 不支持的动作"},
		{cal.CheckJogPulse(100 * time.Microsecond), "servo: 原始脉冲 100µs 超出允许范围 500µs..2.5ms：actuators: 数值超出范围"},
		{pulseErr, "servo: 角度 90° 超出校准范围 -45°..45°：actuators: 数值超出范围"},
		{angleErr, "servo：脉冲 3ms 超出校准范围 500µs..2.5ms：actuators: 数值超出范围"},
	} {
		if c.err == nil {
			t.Errorf("no error for %q", c.want)
			continue
		}
		msg := "cattease: jog: " + c.err.Error()
		if got, want := For(Chinese).TranslateLine(msg), "cattease: jog: "+c.want; got != want {
			t.Errorf("%q\n\tread %q\n\twant %q", msg, got, want)
		}
	}
}
