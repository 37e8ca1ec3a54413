package limit_test

import (
	"fmt"
	"time"

	"github.com/cattease/cattease/control/limit"
	"github.com/cattease/cattease/danmu"
)

func Example() {
	l, err := limit.New(limit.Config{
		Global:       limit.Rate{Every: 200 * time.Millisecond, Burst: 3},
		UserCooldown: 2 * time.Second,
		Bypass:       []danmu.Role{danmu.RoleModerator, danmu.RoleOwner},
	}, []limit.CommandLimit{
		{Name: "left"},
		{Name: "laser", Cooldown: 10 * time.Second},
	})
	if err != nil {
		panic(err)
	}
	const left, laser = 0, 1
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cat := danmu.User{ID: "123", Name: "猫奴", Role: danmu.RoleViewer}
	mod := danmu.User{ID: "7", Name: "房管", Role: danmu.RoleModerator}
	guest := danmu.User{ID: "0", Masked: true, Role: danmu.RoleViewer}

	show := func(what string, d limit.Decision) {
		if d.OK {
			fmt.Printf("%s: ok\n", what)
			return
		}
		fmt.Printf("%s: refused by %s, 冷却中 %v\n", what, d.Scope, d.RetryAfter)
	}
	show("猫奴 激光", l.AllowUser(now, "bilibili", cat, laser, 1))
	show("猫奴 左", l.AllowUser(now.Add(time.Second), "bilibili", cat, left, 1))
	show("房管 激光", l.AllowUser(now.Add(time.Second), "bilibili", mod, laser, 1))
	show("guest 左3", l.AllowUser(now.Add(time.Second), "bilibili", guest, left, 3))
	show("guest 左", l.AllowUser(now.Add(1200*time.Millisecond), "bilibili", guest, left, 1))
	// Output:
	// 猫奴 激光: ok
	// 猫奴 左: refused by user, 冷却中 1s
	// 房管 激光: ok
	// guest 左3: refused by global, 冷却中 200ms
	// guest 左: ok
}
