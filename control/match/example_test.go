package match_test

import (
	"fmt"

	"github.com/cattease/cattease/control/match"
)

func Example() {
	m, err := match.New([]match.Command{
		{Name: "left", Aliases: []string{"左", "left", "←", "向左"}},
		{Name: "right", Aliases: []string{"右", "right", "→"}},
		{Name: "laser", Aliases: []string{"激光", "laser"}, MaxRepeat: 1},
		{Name: "wiggle", Regex: `(?:抖|wiggle)(?P<count>\d+)?`},
	})
	if err != nil {
		panic(err)
	}
	for _, msg := range []string{
		"左", "ＬＥＦＴ３！", "左 x3", "左左左", "右×99", "激光5", "→→ 哈哈",
		"抖2", "左边那只猫好可爱", "我想要左", "左0",
	} {
		r, ok := m.Match(msg)
		if !ok {
			fmt.Printf("%-10q ordinary chat\n", msg)
			continue
		}
		fmt.Printf("%-10q %s ×%d (asked %d, alias %q)\n", msg, r.Name, r.Repeat, r.Requested, r.Alias)
	}
	fmt.Printf("%q\n", match.Normalize("　Ｌｅｆｔ\u200b３！！～ "))
	// Output:
	// "左"        left ×1 (asked 1, alias "左")
	// "ＬＥＦＴ３！"   left ×3 (asked 3, alias "left")
	// "左 x3"     left ×3 (asked 3, alias "左")
	// "左左左"      left ×3 (asked 3, alias "左")
	// "右×99"     right ×5 (asked 99, alias "右")
	// "激光5"      laser ×1 (asked 5, alias "激光")
	// "→→ 哈哈"    right ×2 (asked 2, alias "→")
	// "抖2"       wiggle ×2 (asked 2, alias "抖2")
	// "左边那只猫好可爱" ordinary chat
	// "我想要左"     ordinary chat
	// "左0"       ordinary chat
	// "left3"
}

func ExampleNew_errors() {
	_, err := match.New([]match.Command{
		{Name: "left", Aliases: []string{"左", "left"}},
		{Name: "right", Aliases: []string{"右", "ＬＥＦＴ"}},
		{Name: "spin", Aliases: []string{"左左"}},
		{Name: "bad", Regex: `(`},
	})
	fmt.Println(err)
	// Output:
	// match: command "right": alias "ＬＥＦＴ" (normalized "left") is also alias "left" of command "left"
	// match: command "spin": alias "左左" would be read as alias "左" of command "left" written 2 times
	// match: command "bad": bad regex: error parsing regexp: missing closing ): `(`
}
