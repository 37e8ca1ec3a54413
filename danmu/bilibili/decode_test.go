package bilibili_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cattease/cattease/danmu/bilibili"
	"github.com/cattease/cattease/danmu/bilibili/bilibilitest"
)

// badBodies are command bodies that must be rejected with a counted reason.
func badBodies() map[string]struct {
	body   string
	reason string
} {
	long := strings.Repeat("左", 350_000) // ~1 MB of chat text
	return map[string]struct {
		body   string
		reason string
	}{
		"not json":           {`{"cmd":"DANMU_MSG","info":[`, bilibili.ReasonInvalidJSON},
		"binary":             {"\x00\x01\x02", bilibili.ReasonInvalidJSON},
		"no cmd":             {`{"data":{}}`, bilibili.ReasonNoCmd},
		"cmd not a string":   {`{"cmd":5}`, bilibili.ReasonBadField},
		"info not an array":  {`{"cmd":"DANMU_MSG","info":{"a":1}}`, bilibili.ReasonBadField},
		"info too short":     {`{"cmd":"DANMU_MSG","info":[[],"x"]}`, bilibili.ReasonBadField},
		"text a number":      {`{"cmd":"DANMU_MSG","info":[[],5,[1,"a",0]]}`, bilibili.ReasonBadField},
		"uid an object":      {`{"cmd":"DANMU_MSG","info":[[],"左",[{},"a",0]]}`, bilibili.ReasonBadField},
		"uid a word":         {`{"cmd":"DANMU_MSG","info":[[],"左",["abc","a",0]]}`, bilibili.ReasonBadField},
		"uid beyond int64":   {`{"cmd":"DANMU_MSG","info":[[],"左",[99999999999999999999,"a",0]]}`, bilibili.ReasonBadField},
		"name a number":      {`{"cmd":"DANMU_MSG","info":[[],"左",[1,2,0]]}`, bilibili.ReasonBadField},
		"medal a string":     {`{"cmd":"DANMU_MSG","info":[[],"左",[1,"a",0],"medal"]}`, bilibili.ReasonBadField},
		"meta extra garbage": {`{"cmd":"DANMU_MSG","info":[[0,1,25,0,0,0,0,"",0,0,0,"",0,"{}","{}",{"extra":"{not json"}],"左",[1,"a",0]]}`, bilibili.ReasonInvalidJSON},
		"1 MB chat text":     {`{"cmd":"DANMU_MSG","info":[[],"` + long + `",[1,"a",0]]}`, bilibili.ReasonTextTooLong},
		"1 MB user name":     {`{"cmd":"DANMU_MSG","info":[[],"左",[1,"` + long + `",0]]}`, bilibili.ReasonTextTooLong},
		"1 MB gift name":     {`{"cmd":"SEND_GIFT","data":{"giftName":"` + long + `"}}`, bilibili.ReasonTextTooLong},
		"gift price a list":  {`{"cmd":"SEND_GIFT","data":{"price":[1],"coin_type":"gold"}}`, bilibili.ReasonBadField},
		"negative gift":      {`{"cmd":"SEND_GIFT","data":{"total_coin":-5,"coin_type":"gold"}}`, bilibili.ReasonBadField},
		"sc price a word":    {`{"cmd":"SUPER_CHAT_MESSAGE","data":{"price":"lots"}}`, bilibili.ReasonBadField},
		"guard overflow":     {`{"cmd":"GUARD_BUY","data":{"num":9223372036854775807,"price":9223372036854775807}}`, bilibili.ReasonBadField},
		"pb not base64":      {`{"cmd":"INTERACT_WORD_V2","data":{"pb":"!!!"}}`, bilibili.ReasonBadProtobuf},
		"pb not protobuf":    {`{"cmd":"INTERACT_WORD_V2","data":{"pb":"/////w=="}}`, bilibili.ReasonBadProtobuf},
	}
}

func TestBadBodies(t *testing.T) {
	d := bilibili.Decoder{RoomID: 1, StreamerUID: 2}
	for name, tt := range badBodies() {
		ev, err := d.Decode([]byte(tt.body))
		var de *bilibili.DecodeError
		if !errors.As(err, &de) || de.Reason != tt.reason {
			t.Errorf("%s: (%+v, %v), want reason %s", name, ev, err, tt.reason)
		}
	}
}

// Types Bilibili varies between commands are accepted in every form seen.
func TestLooseTypes(t *testing.T) {
	d := bilibili.Decoder{RoomID: 1, StreamerUID: 2}
	for _, body := range []string{
		`{"cmd":"DANMU_MSG","info":[null,"左",["42","猫",true]]}`,
		`{"cmd":"DANMU_MSG","info":[[],"左",[42.0,"猫",1],null,null,null,null,null]}`,
		`{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[],"左",[42,"猫",1]]}`,
	} {
		ev, err := d.Decode([]byte(body))
		if err != nil || ev.User.ID != "42" || ev.User.Name != "猫" || ev.User.Role != "moderator" || ev.Text != "左" {
			t.Errorf("%s: %+v, %v", body, ev, err)
		}
	}
	// A chat from the fake's builder round-trips every field.
	ev, err := d.Decode(bilibilitest.DanmuMsg(bilibilitest.Chat{Text: "激光", UID: 2, Name: "主播", Guard: 1, Medal: 21, MedalOwner: 2, Level: 30, IDStr: "abc", TimeMS: 1700000000123}))
	if err != nil || ev.User.Role != "owner" || ev.User.Guard != 3 || ev.User.Medal != 21 || ev.User.Level != 30 || ev.ID != "abc" || ev.Time.UnixMilli() != 1700000000123 {
		t.Errorf("builder: %+v, %v", ev, err)
	}
}
