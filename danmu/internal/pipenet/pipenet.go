// Package pipenet is an in-memory network for the fake live servers: a
// net.Listener whose connections are net.Pipe pairs made by Dial. There
// are no sockets, so a testing/synctest bubble sees every blocked
// goroutine as durably blocked.
package pipenet

import (
	"context"
	"net"
	"sync"
)

// Listener accepts the server ends of the pipes that Dial makes.
type Listener struct {
	addr  string
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// NewListener returns a listener that reports addr (e.g. "bilibili.test:80").
func NewListener(addr string) *Listener {
	return &Listener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// Dial makes a pipe and hands its server end to Accept.
func (l *Listener) Dial(ctx context.Context) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Accept returns the next dialled connection.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and Dial. Idempotent.
func (l *Listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is the address given to NewListener.
func (l *Listener) Addr() net.Addr { return addr(l.addr) }

type addr string

func (addr) Network() string  { return "pipe" }
func (a addr) String() string { return string(a) }
