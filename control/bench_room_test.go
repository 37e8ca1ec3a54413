package control

import (
	"strconv"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu"
)

// roomMix is chat in a room with the shipped rules' room on: talk,
// commands, combos, policy votes, a moderator now and then, and gifts.
var roomMix = []string{"左", "右3", "哈哈哈哈哈", "左3+上2", "主播好", "投票", "666666", "上", "这猫好可爱啊啊啊",
	"gift", "右右右", "自由", "？？？", "下+左", "[dog][dog]", "mod"}

// BenchmarkHandleRoom is BenchmarkHandle through the shipped rules.yaml,
// with the room on (moderation, the gift lane, the meter, combos): 100,000
// distinct senders, one gift in sixteen events, a moderator's 禁言 in
// sixteen.
func BenchmarkHandleRoom(b *testing.B) {
	eng, err := New(shippedRules(b), benchRig(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	const users = 100_000
	evs := make([]danmu.Event, users)
	for i := range evs {
		u := danmu.User{ID: strconv.Itoa(1_000_000 + i), Name: "观众" + strconv.Itoa(i), Role: danmu.RoleViewer}
		ev := danmu.Event{Platform: "bilibili", Kind: danmu.KindChat, ID: strconv.Itoa(i), User: u, Text: roomMix[i%len(roomMix)]}
		switch ev.Text {
		case "gift":
			ev.Kind, ev.Text, ev.Gift = danmu.KindGift, "", danmu.Gift{Name: "牛哇", Count: 10, ValueCents: 100}
		case "mod":
			ev.User.Role, ev.Text = danmu.RoleModerator, "禁言 观众"+strconv.Itoa(i-7)+" 1m"
		}
		evs[i] = ev
	}
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now = now.Add(50 * time.Microsecond)
		eng.Handle(now, evs[i%users])
		if i%400 == 0 {
			eng.Tick(now)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
