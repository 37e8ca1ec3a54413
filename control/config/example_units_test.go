package config_test

import (
	"fmt"

	"github.com/cattease/cattease/control/config"
)

func ExampleParseDuration() {
	for _, s := range []string{"3秒", "2分钟", "1小时30分", "500毫秒", "20 s", "500us"} {
		d, err := config.ParseDuration(s)
		fmt.Println(s, "=", d, err)
	}
	// Output:
	// 3秒 = 3s <nil>
	// 2分钟 = 2m0s <nil>
	// 1小时30分 = 1h30m0s <nil>
	// 500毫秒 = 500ms <nil>
	// 20 s = 20s <nil>
	// 500us = 500µs <nil>
}

func ExampleLabel_For() {
	l := config.Label{Zh: "逗猫棒", En: "Wand"}
	fmt.Println(l.For("zh"), l.For("en-US"), config.Label{Zh: "逗猫棒"}.For("en"))
	// Output: 逗猫棒 Wand 逗猫棒
}
