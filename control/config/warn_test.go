package config

import (
	"strings"
	"testing"
)

// TestWarnings: a max_users below what the global pacing can fill, and a
// min_level with the Open Platform as the only chat source, pass the
// checks but are warned about, where they are written; the defaults
// draw no warning.
func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		name, extra string
		want        []string
	}{
		{"defaults", "", nil},
		{"max_users fits", "limits:\n  global: {every: 200ms, burst: 5}\n  user_cooldown: 2s\n  max_users: 16\n", nil},
		{"max_users too small", "limits:\n  global: {every: 200ms, burst: 5}\n  user_cooldown: 2s\n  max_users: 3\n",
			[]string{"w.yaml:15:14: limits.max_users: warning: max_users 3 is below 16,"}},
		{"min_level, Open Platform only", "moderation: {min_level: 3}\nsources:\n  bilibili_open: {code: ABCDEF12, app_id: 1, access_key_id: k, access_key_secret_file: /dev/null}\n",
			[]string{"w.yaml:12:25: moderation.min_level: warning: min_level does not apply to Bilibili Open Platform chat"}},
		{"min_level, Douyu too", "moderation: {min_level: 3}\nsources:\n  bilibili_open: {code: ABCDEF12, app_id: 1, access_key_id: k, access_key_secret_file: /dev/null}\n  douyu: {room: \"9999\"}\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse("w.yaml", []byte(minimal+c.extra))
			if err != nil {
				t.Fatal(err)
			}
			ws := f.Warnings()
			if len(ws) != len(c.want) {
				t.Fatalf("warnings %q, want %d", ws.Error(), len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(ws[i].Error(), w) {
					t.Errorf("warning %q, want %q…", ws[i].Error(), w)
				}
			}
		})
	}
	f, err := Load("../../rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ws := f.Warnings(); len(ws) != 0 {
		t.Errorf("the shipped rules draw warnings: %v", ws)
	}
}
