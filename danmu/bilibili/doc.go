// Package bilibili is the chat source for Bilibili live rooms: the web
// client's message stream (getDanmuInfo + WebSocket /sub), decoded into
// danmu.Event values.
//
// The protocol and its sources are written up in
// ../shared/reference/bilibili.md; real captures used by the tests are in
// testdata/ (provenance in testdata/SOURCES.md).
//
// # Layers
//
//   - packet.go: the frame codec. 16-byte big-endian headers, protocol
//     versions 0 (JSON), 1 (raw), 2 (zlib) and 3 (brotli) with compressed
//     bodies holding several packets, the op-3 length quirk, caps on packet
//     and inflated sizes. Pure, fuzzed.
//   - event.go, danmaku.go, commands.go: one command body to one Event
//     (Decoder). Pure, fuzzed. Every dropped body is a *DecodeError or a
//     *SkipError whose Reason is a fixed counter name.
//   - api.go, wbi.go, cookie.go: the HTTP bootstrap. room_init (short id →
//     real id, streamer uid), nav (own uid, WBI keys, cached and refreshed
//     on -352), buvid3, and a WBI-signed getDanmuInfo for a fresh token and
//     host list before every connection.
//   - conn.go, source.go: one WebSocket connection (auth within 5 s, op-8
//     check, heartbeat every 30 s, read deadline; the calling goroutine
//     reads, one goroutine writes) and the reconnect loop around it
//     (capped exponential backoff with jitter, reset after a healthy
//     period, host rotation, re-bootstrap after repeated failures).
//
// # Identity
//
// Bilibili hides viewers' names and uids from guests (uid 0, names such as
// "江***"); such users are marked danmu.User.Masked. Set Source.CookieFile
// to a browser cookie with SESSDATA to see real identities. Roles: owner
// when the uid is the streamer's, moderator from the room-admin flag.
// Guard tiers are converted to danmu's ascending order (1 舰长 … 3 总督).
// Medal levels count only for this room's streamer's medal. Gift values are
// what the viewer paid, in CNY cents (silver gifts are free).
//
// # Not chat
//
// Danmaku mirrored from other rooms (DANMU_MSG_MIRROR, extra.is_mirror)
// are skipped, as are share notices and commands that duplicate decoded
// ones (USER_TOAST_MSG for GUARD_BUY, SEND_GIFT_V2 for SEND_GIFT …).
// Unknown commands are counted as unknown_cmd, never treated as errors.
//
// # Testing
//
// Package bilibilitest is a fake Bilibili (HTTP endpoints and WebSocket)
// that enforces the real rules; it runs on 127.0.0.1 or over in-memory
// pipes inside a testing/synctest bubble.
package bilibili
