package bilibilitest

import (
	"encoding/json"
	"strconv"
)

// Chat describes a DANMU_MSG for DanmuMsg. Zero fields are left out or 0,
// as Bilibili sends them.
type Chat struct {
	Text       string
	UID        int64
	Name       string
	Admin      bool
	Guard      int   // 1 总督, 2 提督, 3 舰长
	Medal      int   // fan-medal level …
	MedalOwner int64 // … of this streamer's medal (uid); 0 = no medal
	Level      int   // user level
	IDStr      string
	TimeMS     int64 // send time, unix ms
}

// DanmuMsg returns a DANMU_MSG body in the 2025 shape: info[0][15] holds
// the user object and the extra string, info[2] the legacy sender array.
func DanmuMsg(c Chat) []byte {
	extra, _ := json.Marshal(map[string]any{
		"send_from_me": false, "mode": 0, "color": 16777215, "dm_type": 0, "font_size": 25,
		"content": c.Text, "id_str": c.IDStr, "emots": nil, "reply_mid": 0, "hit_combo": 0,
	})
	user := map[string]any{
		"uid":  c.UID,
		"base": map[string]any{"name": c.Name, "face": "https://i0.hdslb.com/bfs/face/member/noface.jpg", "is_mystery": false},
	}
	medal := []any{}
	if c.MedalOwner != 0 {
		medal = []any{c.Medal, "medal", "streamer", 0, 9272486, "", 0, 9272486, 9272486, 9272486, c.Guard, 1, c.MedalOwner}
		user["medal"] = map[string]any{"level": c.Medal, "ruid": c.MedalOwner, "guard_level": c.Guard}
	}
	admin := 0
	if c.Admin {
		admin = 1
	}
	sec := c.TimeMS / 1000
	info := []any{
		[]any{0, 1, 25, 16777215, c.TimeMS, c.TimeMS / 1000, 0, "c7e84af0", 0, 0, 0, "", 0, "{}", "{}",
			map[string]any{"extra": string(extra), "mode": 0, "show_player_type": 0, "user": user},
			map[string]any{"activity_identity": "", "activity_source": 0, "not_show": 0}, 0},
		c.Text,
		[]any{c.UID, c.Name, admin, 0, 0, 10000, 1, ""},
		medal,
		[]any{c.Level, 0, 9868950, ">50000", 0},
		[]any{"", ""},
		0, c.Guard, nil,
		map[string]any{"ts": sec, "ct": "4C2F9271"},
		0, 0, nil, nil, 0, 104, []any{0}, nil,
	}
	b, _ := json.Marshal(map[string]any{"cmd": "DANMU_MSG", "info": info, "dm_v2": ""})
	return b
}

// Cmd returns a body {"cmd": cmd, "data": data}.
func Cmd(cmd string, data any) []byte {
	b, _ := json.Marshal(map[string]any{"cmd": cmd, "data": data})
	return b
}

// Live and Preparing are the room going live and offline.
func Live(roomID int64) []byte {
	b, _ := json.Marshal(map[string]any{"cmd": "LIVE", "live_key": "591274000023608446", "live_platform": "pc_link", "roomid": roomID})
	return b
}

// Preparing is the room going offline (roomid is a string here, as real).
func Preparing(roomID int64) []byte {
	b, _ := json.Marshal(map[string]any{"cmd": "PREPARING", "roomid": strconv.FormatInt(roomID, 10)})
	return b
}
