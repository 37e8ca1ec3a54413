// Package room keeps the state that makes a live room play together: who
// is muted (禁言), who holds exclusive control (包场), the blocklists, what
// gifts have bought, the vote window and the policy meter. Every table is
// bounded by a configured cap, so a hundred thousand strangers cannot grow
// memory, and every method takes the time it is called at, so tests drive
// it with a virtual clock. Nothing here is safe for concurrent use: the
// rule engine calls it under its own lock.
package room
