// Package danmu is the shared vocabulary of chat sources: the Event a live
// room produces, who sent it, and the Source interface every platform client
// implements.
//
// The package does no I/O. Platform clients live in subpackages
// (danmu/bilibili, danmu/douyu, danmu/console, danmu/replay); each one
// decodes its own wire format into Event values and hands them to the
// caller's emit function, one batch per frame or read.
//
// # Lifetimes
//
// A Source's Stream blocks until ctx is cancelled or the source fails for
// good, reconnecting internally as needed. It returns only after every
// goroutine it started has exited. Each source also has a Run that sends
// the events one by one on a channel the caller owns (Forward) and never
// closes it: the caller closes the channel once every Run feeding it has
// returned.
package danmu
