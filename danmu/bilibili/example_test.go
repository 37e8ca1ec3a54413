package bilibili_test

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili"
)

// A source for room 21144080 (a short id works too), logged in with a
// browser cookie, printing chat until interrupted.
func ExampleSource() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var counters danmu.Counters
	src := &bilibili.Source{Room: "21144080", CookieFile: "bilibili-cookie.txt", Counters: &counters}
	events := make(chan danmu.Event, 64)
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, events) }()
	for {
		select {
		case ev := <-events:
			if ev.Kind == danmu.KindChat {
				fmt.Printf("%s: %s\n", ev.User.Name, ev.Text)
			}
		case err := <-done: // ctx.Err() after SIGINT; ErrRoomNotFound at once
			fmt.Println(err, counters.Snapshot())
			return
		}
	}
}

// One DANMU_MSG body: the cmd suffix is ignored, the admin flag in info[2]
// makes a moderator, info[4][0] is the user level.
func ExampleDecoder() {
	d := bilibili.Decoder{RoomID: 21144080, StreamerUID: 1000}
	ev, err := d.Decode([]byte(`{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[0,1,25,16777215,1700000000123],"左3",[42,"猫奴",1],[],[12]]}`))
	fmt.Println(ev.Kind, ev.Text, ev.User.ID, ev.User.Name, ev.User.Role, ev.User.Level, err)
	// Output: chat 左3 42 猫奴 moderator 12 <nil>
}
