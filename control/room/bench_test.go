package room

import (
	"strconv"
	"testing"

	"github.com/cattease/cattease/danmu"
)

// BenchmarkDirectorySeen: a busy room's commanders, 50,000 viewers cycling
// through a directory of 10,000, so nearly every Seen replaces the oldest.
func BenchmarkDirectorySeen(b *testing.B) {
	users := make([]danmu.User, 50_000)
	for i := range users {
		users[i] = danmu.User{ID: strconv.Itoa(i), Name: "猫奴" + strconv.Itoa(i), Role: danmu.RoleViewer}
	}
	d := NewDirectory(10_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.Seen("bilibili", users[i])
		i = (i + 1) % len(users)
	}
}
