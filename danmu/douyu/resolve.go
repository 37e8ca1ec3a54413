package douyu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultAPI is the base URL room ids are resolved against.
const DefaultAPI = "https://www.douyu.com"

// APIOff as Source.API skips room-id resolution: the id is used as given.
const APIOff = "off"

// RoomInfo is what resolution learns about a room.
type RoomInfo struct {
	// ID is the real numeric room id, the one loginreq and joingroup need.
	ID string
	// Owner is the streamer's uid, "" when the response did not carry it.
	Owner string
}

// maxAPIBody caps the room-info response read.
const maxAPIBody = 2 << 20

// ErrRoomNotFound is how ResolveRoom fails when Douyu answers that no room
// has the id: its "该房间目前没有开放" page instead of the room's JSON. The
// page is all there is to go by (no error code), so the Source does not
// give up on it: it keeps retrying and reports the class not_found.
var ErrRoomNotFound = errors.New("douyu: no room has this id")

// notOpen is the text of the page Douyu serves, with HTTP 200, for a room
// id that names no room.
var notOpen = []byte("该房间目前没有开放")

// apiError is a room-info answer that names no room, and is not Douyu's
// page for a room that does not exist: an HTTP error status, or a body
// without a room id.
type apiError struct {
	url    string
	status int   // the HTTP status
	err    error // what was wrong with a 200 answer
}

func (e *apiError) Error() string {
	if e.status != http.StatusOK {
		return fmt.Sprintf("douyu: resolve room: %s: HTTP %d", e.url, e.status)
	}
	return fmt.Sprintf("douyu: resolve room: %s: %v", e.url, e.err)
}

func (e *apiError) Unwrap() error { return e.err }

var errNoRoomID = errors.New("no room id in the response")

// ResolveRoom asks {api}/betard/{room} (the JSON the room page itself
// loads) for the real room id behind a short or vanity id ("lpl",
// "9999"), and for the streamer's uid. The response's room.room_id and
// room.owner_uid may be numbers or strings. It fails with ErrRoomNotFound
// when Douyu's answer is its page for a room that does not exist.
func ResolveRoom(ctx context.Context, client *http.Client, api, room string) (RoomInfo, error) {
	if room == "" {
		return RoomInfo{}, errors.New("douyu: empty room id")
	}
	if api == "" {
		api = DefaultAPI
	}
	u := strings.TrimRight(api, "/") + "/betard/" + url.PathEscape(room)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return RoomInfo{}, fmt.Errorf("douyu: resolve room: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Referer", "https://www.douyu.com/"+url.PathEscape(room))
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return RoomInfo{}, fmt.Errorf("douyu: resolve room: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody))
	if err != nil {
		return RoomInfo{}, fmt.Errorf("douyu: resolve room: %w", err)
	}
	var v struct {
		Room struct {
			RoomID   flexID `json:"room_id"`
			OwnerUID flexID `json:"owner_uid"`
		} `json:"room"`
	}
	jerr := json.Unmarshal(body, &v)
	id := string(v.Room.RoomID)
	if resp.StatusCode == http.StatusOK && jerr == nil && isRoomID(id) {
		info := RoomInfo{ID: id}
		if o := string(v.Room.OwnerUID); isRoomID(o) {
			info.Owner = o
		}
		return info, nil
	}
	// The page, not JSON: a room's own JSON may quote anything (its
	// title, its notice), the page itself never parses.
	if jerr != nil && bytes.Contains(body, notOpen) {
		return RoomInfo{}, fmt.Errorf("%w: %s", ErrRoomNotFound, u)
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return RoomInfo{}, &apiError{url: u, status: resp.StatusCode}
	case jerr != nil:
		return RoomInfo{}, &apiError{url: u, status: http.StatusOK, err: jerr}
	}
	return RoomInfo{}, &apiError{url: u, status: http.StatusOK, err: errNoRoomID}
}

// isRoomID reports whether s is a positive decimal id.
func isRoomID(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0 && len(s) <= 20
}

// flexID accepts a JSON number or string.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}
