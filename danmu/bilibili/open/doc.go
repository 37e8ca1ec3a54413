// Package open is the chat source for the Bilibili Open Platform
// (直播开放平台, 互动玩法): the streamer's 身份码 starts a "game" for an
// app, and the platform pushes the room's chat, gifts, super chats, guard
// purchases, likes and entries over a WebSocket, each with the sender's
// open_id, name, guard level and this room's fan medal. Unlike the web
// protocol it needs no login cookie and masks no one.
//
// The protocol and its sources are in ../shared/reference/bilibili.md §4
// and §7 item 7; docs/bilibili-open.md in the repository explains the
// setup. Captures used by the tests are in testdata/ (provenance in
// testdata/SOURCES.md).
//
// # Layers
//
//   - sign.go: the request signature (HMAC-SHA256 over the six x-bili-*
//     headers, a fresh nonce, the MD5 of the exact body). Pure.
//   - api.go: /v2/app/start, /v2/app/heartbeat, /v2/app/end and the
//     platform's error codes as *APIError, which match the sentinels
//     ErrInvalidCode (7007), ErrInvalidApp (4001), ErrSignature (4002),
//     ErrRoomBusy (7002), ErrCooldown (7001, 4009) and ErrGameOver (7003).
//   - decode.go: one LIVE_OPEN_PLATFORM_* command to one danmu.Event
//     (Decoder). Pure, bounds-checked, fuzzed.
//   - conn.go, source.go: the WebSocket (frames decoded by the web
//     source's codec, bilibili.FrameDecoder; auth_body sent verbatim; op-2
//     heartbeat every 30 s; read deadline), the game heartbeat every 20 s,
//     /v2/app/end on every way out, and the restart loop around them.
//
// # Errors and restarts
//
// A game that the platform closed (heartbeat answered 7003, or the push
// LIVE_OPEN_PLATFORM_INTERACTION_END) is ended and started again at once.
// A cooling-down or rate-limited start (7001, 4009) waits at least
// CooldownMin, and any other failure backs off exponentially with jitter.
// A game whose /v2/app/end was not confirmed is ended again before the
// next start. Another game running in the room (7002) — often our own
// last one, which the platform closes within 60 s — is retried at least
// RoomBusyWait apart for RoomBusyFor, then Run returns ErrRoomBusy.
// A wrong 身份码 (7007), an invalid app (4001) and a bad signature (4002)
// are not retried: Run returns an error naming the fix.
//
// # Identity
//
// danmu.User.ID is the viewer's open_id (stable per app, not the Bilibili
// uid). Captures from before 2024-03 carry only the since-deprecated uid,
// which is used when open_id is absent. The streamer (anchor_info.open_id
// from /v2/app/start) is the owner; is_admin marks moderators. Guard
// levels are converted to danmu's ascending order (1 舰长 … 3 总督). The
// fans_medal_* fields describe the medal of this room's streamer (the
// platform's own documentation: 对应房间勋章信息), so their level is
// danmu.User.Medal whether or not the viewer wears it.
//
// # Testing
//
// Package opentest is a fake Open Platform (HTTP API and WebSocket) that
// checks signatures, allows one game per room, enforces the heartbeat
// timeout and answers with error codes on demand.
package open
