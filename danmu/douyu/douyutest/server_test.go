package douyutest

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cattease/cattease/danmu/douyu"
)

type client struct {
	t  *testing.T
	c  net.Conn
	sp douyu.Splitter
}

func dial(t *testing.T, s *Server) *client {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.TCPURL(), "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &client{t: t, c: c, sp: douyu.Splitter{Type: douyu.TypeServer}}
}

func (c *client) send(kv ...string) {
	c.t.Helper()
	if _, err := c.c.Write(douyu.AppendMessage(nil, douyu.TypeClient, douyu.Msg(kv...))); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next message, or "" at EOF.
func (c *client) next() douyu.Message {
	c.t.Helper()
	for {
		p, ok, err := c.sp.Next()
		if err != nil {
			c.t.Fatal(err)
		}
		if ok {
			m, err := douyu.Decode(p.Body)
			if err != nil {
				c.t.Fatal(err)
			}
			return m
		}
		if _, err := c.sp.Fill(c.c); err == io.EOF {
			return douyu.Message{}
		} else if err != nil {
			c.t.Fatal(err)
		}
	}
}

func TestProtocolOrder(t *testing.T) {
	s := NewServer("9999")
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// joingroup before loginreq: error and close.
	c := dial(t, s)
	c.send("type", "joingroup", "rid", "9999", "gid", "-9999")
	if m := c.next(); m.Type() != "error" || m.Get("code") != "51" {
		t.Errorf("out of order: %v", m)
	}
	if m := c.next(); m.Type() != "" {
		t.Errorf("not closed: %v", m)
	}
	// Wrong room: 204.
	c = dial(t, s)
	c.send("type", "loginreq", "roomid", "1")
	if m := c.next(); m.Get("code") != "204" {
		t.Errorf("wrong room: %v", m)
	}
	// Wrong gid: 207.
	c = dial(t, s)
	c.send("type", "loginreq", "roomid", "9999")
	if m := c.next(); m.Type() != "loginres" {
		t.Fatalf("want loginres, got %v", m)
	}
	if m := c.next(); m.Type() != "pingreq" {
		t.Fatalf("want pingreq, got %v", m)
	}
	c.send("type", "joingroup", "rid", "9999", "gid", "1")
	if m := c.next(); m.Get("code") != "207" {
		t.Errorf("wrong gid: %v", m)
	}
	if err := s.Wait(ctx, func(st Stats) bool { return st.Violations == 3 && st.Active == 0 }); err != nil {
		t.Fatal(err)
	}

	// The happy path, with scripted on-join messages, heartbeat echo and
	// logout.
	s.SetOnJoin(douyu.Msg("type", "chatmsg", "rid", "9999", "txt", "hi"))
	c = dial(t, s)
	c.send("type", "loginreq", "roomid", "9999")
	c.next()
	c.next()
	c.send("type", "joingroup", "rid", "9999", "gid", "-9999")
	if m := c.next(); m.Get("txt") != "hi" {
		t.Errorf("on join: %v", m)
	}
	c.send("type", "mrkl")
	if m := c.next(); m.Type() != "mrkl" {
		t.Errorf("echo: %v", m)
	}
	s.Send(douyu.Msg("type", "a"), douyu.Msg("type", "b"))
	if a, b := c.next(), c.next(); a.Type() != "a" || b.Type() != "b" {
		t.Errorf("send: %v %v", a, b)
	}
	c.send("type", "logout")
	if m := c.next(); m.Type() != "" {
		t.Errorf("after logout: %v", m)
	}
	if err := s.Wait(ctx, func(st Stats) bool { return st.Logouts == 1 && st.Joins == 1 && st.Heartbeats == 1 }); err != nil {
		t.Fatal(err)
	}
}

func TestAPI(t *testing.T) {
	s := NewServer("288016")
	defer s.Close()
	s.AddAlias("lpl")
	s.SetOwner("5")
	for _, client := range []*http.Client{http.DefaultClient, s.HTTPClient()} {
		resp, err := client.Get(s.APIURL() + "/betard/lpl")
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Room struct {
				RoomID   json.Number `json:"room_id"`
				OwnerUID string      `json:"owner_uid"`
			} `json:"room"`
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil || v.Room.RoomID != "288016" || v.Room.OwnerUID != "5" {
			t.Errorf("betard: %+v %v", v, err)
		}
		resp, err = client.Get(s.APIURL() + "/betard/nope")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != NotFoundPage {
			t.Errorf("unknown room: %d %q", resp.StatusCode, body)
		}
	}
}

func TestSplitWrites(t *testing.T) {
	s := NewServer("9999")
	defer s.Close()
	s.SetSplit(true)
	c := dial(t, s)
	c.send("type", "loginreq", "roomid", "9999")
	if a, b := c.next(), c.next(); a.Type() != "loginres" || b.Type() != "pingreq" {
		t.Errorf("split login reply: %v %v", a, b)
	}
}
