// Package danmu is the shared vocabulary of chat sources: the Event a live
// room produces, who sent it, and the Source interface every platform client
// implements.
//
// The package does no I/O. Platform clients live in subpackages
// (danmu/bilibili, danmu/douyu, danmu/console, danmu/replay); each one
// decodes its own wire format into Event values and sends them on a channel
// the caller owns.
//
// # Lifetimes
//
// A Source's Run blocks until ctx is cancelled or the source fails for good,
// reconnecting internally as needed. It returns only after every goroutine it
// started has exited, and it never closes out: the caller closes the channel
// once every Run feeding it has returned.
package danmu
