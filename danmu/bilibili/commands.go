package bilibili

import (
	"encoding/base64"
	"errors"
	"math"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/cattease/cattease/danmu"
	"github.com/cattease/cattease/danmu/bilibili/internal/pb"
)

// gift decodes SEND_GIFT. total_coin is what was paid (for a blind box the
// box price, not the revealed gift's), in gold: 1000 gold = ¥1, so
// cents = gold / 10. Silver gifts are free.
func (d *Decoder) gift(data []byte) (danmu.Event, error) {
	var g struct {
		UID        jint       `json:"uid"`
		Uname      string     `json:"uname"`
		GiftName   string     `json:"giftName"`
		Num        jint       `json:"num"`
		Price      jint       `json:"price"`
		TotalCoin  jint       `json:"total_coin"`
		CoinType   string     `json:"coin_type"`
		Timestamp  jint       `json:"timestamp"`
		TID        jstr       `json:"tid"`
		GuardLevel jint       `json:"guard_level"`
		Medal      *medalInfo `json:"medal_info"`
		Sender     *uinfo     `json:"sender_uinfo"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, err
	}
	if g.Num < 0 || g.Price < 0 || g.TotalCoin < 0 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("negative gift"))
	}
	var cents int64
	if g.CoinType == "gold" {
		paid := int64(g.TotalCoin)
		if paid == 0 && g.Num > 0 && int64(g.Price) <= math.MaxInt64/int64(g.Num) {
			paid = int64(g.Price) * int64(g.Num)
		}
		cents = paid / 10
	}
	// The room's own medal: sender_uinfo.medal is the medal for this
	// streamer even when the sender pinned another one in medal_info.
	medal := d.uinfoMedal(g.Sender)
	if medal == 0 {
		medal = d.medalInfoLevel(g.Medal)
	}
	name := g.Uname
	if n := g.Sender.name(); n != "" {
		name = n
	}
	u := d.user(int64(g.UID), name, false, int64(g.GuardLevel), medal, 0)
	u.Masked = u.Masked || g.Sender.mystery()
	return danmu.Event{
		Kind: danmu.KindGift,
		ID:   string(g.TID),
		Time: unixSec(int64(g.Timestamp)),
		User: u,
		Gift: danmu.Gift{Name: g.GiftName, Count: clampInt(int64(g.Num), 0, math.MaxInt32), ValueCents: cents},
	}, nil
}

// superChat decodes SUPER_CHAT_MESSAGE; price is in yuan.
func (d *Decoder) superChat(data []byte) (danmu.Event, error) {
	var sc struct {
		ID        jstr   `json:"id"`
		UID       jint   `json:"uid"`
		Price     jfloat `json:"price"`
		Message   string `json:"message"`
		StartTime jint   `json:"start_time"`
		UserInfo  *struct {
			Uname      string `json:"uname"`
			GuardLevel jint   `json:"guard_level"`
			Manager    jint   `json:"manager"`
			UserLevel  jint   `json:"user_level"`
		} `json:"user_info"`
		Uinfo     *uinfo     `json:"uinfo"`
		Medal     *medalInfo `json:"medal_info"`
		IsMystery jbool      `json:"is_mystery"`
		Gift      *struct {
			Name string `json:"gift_name"`
			Num  jint   `json:"num"`
		} `json:"gift"`
	}
	if err := unmarshal(data, &sc); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(sc.Message); err != nil {
		return danmu.Event{}, err
	}
	if sc.Price < 0 || sc.Price > 1e9 {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("price out of range"))
	}
	var (
		name                  = sc.Uinfo.name()
		guard, manager, level int64
	)
	if ui := sc.UserInfo; ui != nil {
		if name == "" {
			name = ui.Uname
		}
		guard, manager, level = int64(ui.GuardLevel), int64(ui.Manager), int64(ui.UserLevel)
	}
	medal := d.medalInfoLevel(sc.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(sc.Uinfo)
	}
	u := d.user(int64(sc.UID), name, manager != 0, guard, medal, level)
	u.Masked = u.Masked || bool(sc.IsMystery) || sc.Uinfo.mystery()
	gift := danmu.Gift{Name: "醒目留言", Count: 1, ValueCents: int64(math.Round(float64(sc.Price) * 100))}
	if sc.Gift != nil && sc.Gift.Name != "" {
		gift.Name = sc.Gift.Name
	}
	return danmu.Event{
		Kind: danmu.KindSuperChat,
		ID:   string(sc.ID),
		Time: unixSec(int64(sc.StartTime)),
		User: u,
		Text: sc.Message,
		Gift: gift,
	}, nil
}

// guardBuy decodes GUARD_BUY: price is per unit, in gold.
func (d *Decoder) guardBuy(data []byte) (danmu.Event, error) {
	var g struct {
		UID        jint   `json:"uid"`
		Username   string `json:"username"`
		GuardLevel jint   `json:"guard_level"`
		Num        jint   `json:"num"`
		Price      jint   `json:"price"`
		GiftName   string `json:"gift_name"`
		StartTime  jint   `json:"start_time"`
	}
	if err := unmarshal(data, &g); err != nil {
		return danmu.Event{}, err
	}
	if g.Num < 0 || g.Price < 0 || (g.Num > 0 && int64(g.Price) > math.MaxInt64/int64(g.Num)) {
		return danmu.Event{}, decodeErr(ReasonBadField, errors.New("price out of range"))
	}
	return danmu.Event{
		Kind: danmu.KindGuard,
		Time: unixSec(int64(g.StartTime)),
		User: d.user(int64(g.UID), g.Username, false, int64(g.GuardLevel), 0, 0),
		Gift: danmu.Gift{
			Name:       g.GiftName,
			Count:      clampInt(int64(g.Num), 0, math.MaxInt32),
			ValueCents: int64(g.Price) * int64(g.Num) / 10,
		},
	}, nil
}

// interactKind maps INTERACT_WORD msg_type to a Kind; shares and unknown
// types are not events.
func interactKind(msgType int64) (danmu.Kind, bool) {
	switch msgType {
	case 1:
		return danmu.KindEnter, true
	case 2, 4, 5: // follow, special follow, mutual follow
		return danmu.KindFollow, true
	case 6:
		return danmu.KindLike, true
	}
	return "", false
}

// interactWord decodes the JSON INTERACT_WORD (enter, follow, share …).
func (d *Decoder) interactWord(data []byte) (danmu.Event, error) {
	var w struct {
		UID           jint       `json:"uid"`
		Uname         string     `json:"uname"`
		MsgType       jint       `json:"msg_type"`
		Timestamp     jint       `json:"timestamp"`
		PrivilegeType jint       `json:"privilege_type"`
		IsMystery     jbool      `json:"is_mystery"`
		Medal         *medalInfo `json:"fans_medal"`
		Uinfo         *uinfo     `json:"uinfo"`
	}
	if err := unmarshal(data, &w); err != nil {
		return danmu.Event{}, err
	}
	kind, ok := interactKind(int64(w.MsgType))
	if !ok {
		return danmu.Event{}, ErrIgnoredCmd
	}
	name := w.Uname
	if name == "" {
		name = w.Uinfo.name()
	}
	guard := int64(w.PrivilegeType)
	if guard == 0 && w.Uinfo != nil && w.Uinfo.Guard != nil {
		guard = int64(w.Uinfo.Guard.Level)
	}
	medal := d.medalInfoLevel(w.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(w.Uinfo)
	}
	u := d.user(int64(w.UID), name, false, guard, medal, 0)
	u.Masked = u.Masked || bool(w.IsMystery)
	return danmu.Event{Kind: kind, Time: unixSec(int64(w.Timestamp)), User: u}, nil
}

// interactWordV2 decodes INTERACT_WORD_V2, whose data.pb is a base64
// protobuf (internal/pb/interact.proto).
func (d *Decoder) interactWordV2(data []byte) (danmu.Event, error) {
	var w struct {
		PB string `json:"pb"`
	}
	if err := unmarshal(data, &w); err != nil {
		return danmu.Event{}, err
	}
	raw, err := base64.StdEncoding.DecodeString(w.PB)
	if err != nil {
		return danmu.Event{}, decodeErr(ReasonBadProtobuf, err)
	}
	var m pb.InteractWordV2
	if err := proto.Unmarshal(raw, &m); err != nil {
		return danmu.Event{}, decodeErr(ReasonBadProtobuf, err)
	}
	kind, ok := interactKind(m.GetMsgType())
	if !ok {
		return danmu.Event{}, ErrIgnoredCmd
	}
	name := m.GetUname()
	if name == "" {
		name = m.GetUinfo().GetBase().GetName()
	}
	var medal int64
	if fm := m.GetFansMedal(); d.ownMedal(fm.GetTargetId(), fm.GetRoomId()) {
		medal = fm.GetMedalLevel()
	}
	return danmu.Event{
		Kind: kind,
		Time: unixSec(m.GetTimestamp()),
		User: d.user(m.GetUid(), name, false, m.GetPrivilegeType(), medal, 0),
	}, nil
}

// likeClick decodes LIKE_INFO_V3_CLICK: one viewer's like.
func (d *Decoder) likeClick(data []byte) (danmu.Event, error) {
	var l struct {
		UID      jint       `json:"uid"`
		Uname    string     `json:"uname"`
		LikeText string     `json:"like_text"`
		Medal    *medalInfo `json:"fans_medal"`
		Uinfo    *uinfo     `json:"uinfo"`
	}
	if err := unmarshal(data, &l); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(l.LikeText); err != nil {
		return danmu.Event{}, err
	}
	var guard int64
	if l.Uinfo != nil && l.Uinfo.Guard != nil {
		guard = int64(l.Uinfo.Guard.Level)
	}
	medal := d.medalInfoLevel(l.Medal)
	if medal == 0 {
		medal = d.uinfoMedal(l.Uinfo)
	}
	return danmu.Event{
		Kind: danmu.KindLike,
		User: d.user(int64(l.UID), l.Uname, false, guard, medal, 0),
		Text: l.LikeText,
	}, nil
}

// loginNotice decodes LOG_IN_NOTICE: the server tells a guest that names
// and uids will be masked.
func (d *Decoder) loginNotice(data []byte) (danmu.Event, error) {
	var n struct {
		Msg string `json:"notice_msg"`
	}
	if err := unmarshal(data, &n); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(n.Msg); err != nil {
		return danmu.Event{}, err
	}
	return danmu.Event{Kind: danmu.KindNotice, Text: n.Msg}, nil
}

// roomStatus decodes the commands whose fields sit at the top level: LIVE,
// PREPARING (live / offline) and CUT_OFF, WARNING (notices from the
// platform to the streamer).
func (d *Decoder) roomStatus(cmd string, body []byte) (danmu.Event, error) {
	var s struct {
		Msg      string `json:"msg"`
		LiveKey  jstr   `json:"live_key"`
		LiveTime jint   `json:"live_time"`
		SendTime jint   `json:"send_time"`
		MsgID    string `json:"msg_id"`
	}
	if err := unmarshal(body, &s); err != nil {
		return danmu.Event{}, err
	}
	if err := checkText(s.Msg); err != nil {
		return danmu.Event{}, err
	}
	ev := danmu.Event{ID: s.MsgID, Time: unixMilli(int64(s.SendTime))}
	switch cmd {
	case "LIVE":
		ev.Kind = danmu.KindLive
		ev.ID = string(s.LiveKey)
		if t := unixSec(int64(s.LiveTime)); !t.IsZero() {
			ev.Time = t
		}
	case "PREPARING":
		ev.Kind = danmu.KindOffline
	default:
		ev.Kind = danmu.KindNotice
		ev.Text = s.Msg
	}
	return ev, nil
}

// cutOffV2 decodes CUT_OFF_V2 (2024-11): the stream was cut by the
// platform; the notice text is the dialog's title and messages.
func (d *Decoder) cutOffV2(data []byte) (danmu.Event, error) {
	var c struct {
		Timestamp jint `json:"timestamp"`
		CutOff    *struct {
			Title    string `json:"cut_off_title"`
			Messages []struct {
				Label   string `json:"label"`
				Content string `json:"content"`
			} `json:"cut_off_message_list"`
		} `json:"cut_off_data"`
	}
	if err := unmarshal(data, &c); err != nil {
		return danmu.Event{}, err
	}
	var b strings.Builder
	if c.CutOff != nil {
		b.WriteString(c.CutOff.Title)
		for _, m := range c.CutOff.Messages {
			b.WriteString("; ")
			if m.Label != "" {
				b.WriteString(m.Label)
				b.WriteString(": ")
			}
			b.WriteString(m.Content)
		}
	}
	text := strings.TrimPrefix(b.String(), "; ")
	if err := checkText(text); err != nil {
		return danmu.Event{}, err
	}
	return danmu.Event{Kind: danmu.KindNotice, Time: unixSec(int64(c.Timestamp)), Text: text}, nil
}
