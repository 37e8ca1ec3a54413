// Package douyu is the Douyu (斗鱼) live chat source: it receives one room's
// danmaku, gifts, entries and live state anonymously and sends them as
// danmu.Events.
//
// The layers, from the wire up (protocol: shared/reference/douyu.md):
//
//   - STT codec (stt.go, pure): Decode/Encode of message bodies as ordered
//     fields, duplicate keys kept, "@A"/"@S" unescaped in a single pass;
//     nested values are decoded only on request and only for fields known
//     to nest (IsNested). Decode followed by Encode reproduces every real
//     capture byte for byte.
//   - Framing (frame.go, pure): AppendPacket/AppendMessage, and a Splitter
//     that cuts a byte stream into packets whatever the read boundaries,
//     validating both lengths, the cap, the type and the NUL. A framing
//     error desynchronises the stream: the connection is dropped.
//   - Transports (transport.go): WebSocket (gorilla/websocket) to
//     danmuproxy.douyu.com:8501–8506, whose TLS needs RSA key exchange
//     (TLSConfig, for this dialer only), and plain TCP :8601/:8602, only
//     when asked for (unencrypted: chat on it can be forged). Both feed
//     the Splitter as one byte stream.
//   - Session and reconnect (source.go): room-id resolution over HTTP
//     (resolve.go, retried in the background until it works), loginreq → loginres → joingroup gid -9999, mrkl every
//     45 s, 90 s of silence = dead, logout before closing, server error
//     codes logged with their meaning (ErrorMeaning), capped exponential
//     backoff with jitter and endpoint rotation.
//   - Events (event.go): Decoder maps chatmsg, dgb, uenter and rss to
//     Events and counts everything else by a fixed reason.
//
// The fake server for tests is in douyutest.
package douyu
