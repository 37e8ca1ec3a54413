package match

import (
	"fmt"
	"strings"
	"testing"
)

// benchCommands returns 200 commands: the usual pan/tilt set plus 192
// synthetic ones with two-character Chinese aliases and English aliases,
// about 650 aliases in all. With regexes > 0, that many commands also get a
// regex.
func benchCommands(regexes int) []Command {
	cmds := []Command{
		{Name: "left", Aliases: []string{"左", "left", "l", "←", "向左", "往左"}},
		{Name: "right", Aliases: []string{"右", "right", "r", "→", "向右", "往右"}},
		{Name: "up", Aliases: []string{"上", "up", "u", "↑", "向上"}},
		{Name: "down", Aliases: []string{"下", "down", "d", "↓", "向下"}},
		{Name: "laser", Aliases: []string{"激光", "laser", "开灯"}, MaxRepeat: 1},
		{Name: "circle", Aliases: []string{"画圈", "circle", "转圈"}, MaxRepeat: 2},
		{Name: "stop", Aliases: []string{"停", "stop", "停止"}, MaxRepeat: 1},
		{Name: "home", Aliases: []string{"回家", "home", "归位"}, MaxRepeat: 1},
	}
	pool := []rune("跳跑飞转扭晃抖摇甩绕冲追扑抓逗闪跟退进躲藏找追拍点戳划蹦滚爬钻溜逛遛")
	n := 0
	for i := 0; len(cmds) < 200; i++ {
		a, b := pool[i%len(pool)], pool[(i/len(pool)+i+1)%len(pool)]
		if a == b {
			continue
		}
		c := Command{Name: fmt.Sprintf("cmd%03d", n), Aliases: []string{
			string([]rune{a, b}), string([]rune{b, a, '一', '下'}),
			fmt.Sprintf("skill%c", 'a'+n%26) + strings.Repeat("z", n/26), fmt.Sprintf("move-%03d", n)}}
		if n < regexes {
			c.Regex = fmt.Sprintf(`(?:do|做)%c+(?P<count>\d+)?`, 'a'+n%26)
		}
		cmds = append(cmds, c)
		n++
	}
	return cmds
}

// Typical danmaku, commands and repeats; the mix is roughly what a cat
// stream's chat looks like: mostly talk, a quarter commands.
var (
	benchChat = []string{"哈哈哈哈哈", "猫猫好可爱", "主播晚上好", "？？？", "666", "awsl", "这只猫叫什么名字",
		"[doge]", "左边那只猫好胖", "2333333", "来了来了", "下次一定", "up主好", "好家伙", "冲冲冲",
		"😂😂😂", "草", "晚安～", "关注了", "猫猫看这里！！！", "它是不是困了", "我想要左边那个"}
	benchCmd    = []string{"左", "右", "上", "下", "激光", "停", "left", "←", "画圈", "跳跑", "skillc", "LEFT", "左！"}
	benchRepeat = []string{"左3", "右×3", "左左左", "上 x2", "ｌｅｆｔ３", "下三次", "左99999999", "→→"}
	benchLong   = []string{strings.Repeat("哈", 1<<18), "左3 " + strings.Repeat("猫猫好可爱", 40)}
)

func benchMix() []string {
	var mix []string
	for i := 0; i < 3; i++ { // 66 chat : 26 command : 8 repeat : 2 long
		mix = append(mix, benchChat...)
	}
	mix = append(mix, benchCmd...)
	mix = append(mix, benchCmd...)
	mix = append(mix, benchRepeat...)
	return append(mix, benchLong...)
}

func BenchmarkMatch(b *testing.B) {
	m := mustNew(b, benchCommands(0))
	mr := mustNew(b, benchCommands(10))
	for _, c := range []struct {
		name string
		m    *Matcher
		msgs []string
	}{
		{"chat", m, benchChat},
		{"command", m, benchCmd},
		{"repeat", m, benchRepeat},
		{"long-1MB", m, benchLong[:1]},
		{"mix", m, benchMix()},
		{"mix-10-regex", mr, benchMix()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.m.Match(c.msgs[i%len(c.msgs)])
				i++
			}
		})
	}
	b.Run("mix-parallel", func(b *testing.B) {
		b.ReportAllocs()
		mix := benchMix()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				m.Match(mix[i%len(mix)])
			}
		})
	})
}

// BenchmarkNew is the cost of a rules.yaml reload with 200 commands.
func BenchmarkNew(b *testing.B) {
	cmds := benchCommands(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(cmds); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchCommands(t *testing.T) {
	m := mustNew(t, benchCommands(10))
	for _, c := range []struct{ in, want string }{
		{"跳跑", "cmd000×1"}, {"跑跳一下3", "cmd000×3"}, {"skilla", "cmd000×1"},
		{"do" + "b3", "cmd001×3"}, {"左99999999", "left×5!"}, {"我想要左边那个", ""},
	} {
		if got := show(m.Match(c.in)); got != c.want {
			t.Errorf("Match(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if len(m.aliases) < 600 {
		t.Errorf("only %d aliases", len(m.aliases))
	}
}
