package open_test

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/open"
)

func ExampleDecoder() {
	d := open.Decoder{RoomID: 4639581, AnchorOpenID: "anchor"}
	ev, err := d.Decode([]byte(`{"cmd":"LIVE_OPEN_PLATFORM_DM","data":{"open_id":"o-42","uname":"房管",
		"msg":"停","is_admin":1,"guard_level":3,"fans_medal_level":12,"room_id":4639581,"timestamp":1764400000}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ev.Kind, ev.User.ID, ev.User.Role, "guard", ev.User.Guard, "medal", ev.User.Medal, ev.Text)
	// Output: chat o-42 moderator guard 1 medal 12 停
}

// A Source runs until its context ends, then ends the game.
func ExampleSource() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	src := &open.Source{
		Code:                "ABCDEF1234567", // the streamer's 身份码
		AppID:               1234567890123,
		AccessKeyID:         "your-access-key-id",
		AccessKeySecretFile: "/etc/cattease/bilibili-open-secret",
	}
	out := make(chan danmu.Event, 64)
	go func() {
		for ev := range out {
			fmt.Println(ev.User.Name, ev.Text)
		}
	}()
	err := src.Run(ctx, out)
	close(out)
	fmt.Println(err)
}
