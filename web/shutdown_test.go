package web

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// pipeListener hands Serve the server ends of in-process pipes, so that a
// test can run it inside a synctest bubble, where time moves only when
// every goroutine waits. It says it listens on 127.0.0.1:8080.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }

// dial connects a client to the server.
func (l *pipeListener) dial() net.Conn {
	client, server := net.Pipe()
	l.conns <- server
	return client
}

// TestShutdownSlowBody: a client in the middle of sending a request body
// when cattease stops (here: 1 byte of 100) is cut off once the grace
// period is over, and Serve returns ctx's error, a clean stop, rather than
// a failure that would make systemd mark the unit failed.
func TestShutdownSlowBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, eng, _ := newTestServer(testToken)
		ln := newPipeListener()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln) }()
		slow := ln.dial()
		defer slow.Close()
		go slow.Write([]byte("POST /api/control/stop HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: Bearer " + testToken +
			"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"))
		synctest.Wait() // the request is in, the body not
		start := time.Now()
		cancel()
		err := <-done
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Serve at shutdown: %v, want context.Canceled", err)
		}
		if d := time.Since(start); d < shutdownGrace || d >= shutdownGrace+forceCloseWait {
			t.Errorf("Serve returned %v after cancel", d)
		}
		if _, err := bufio.NewReader(slow).ReadByte(); err == nil {
			t.Error("the slow client's connection is still open")
		}
		if calls := eng.Calls(); len(calls) != 1 || calls[0] != "stop" {
			t.Errorf("engine calls %q, want the STOP (its body does not matter) done before Serve returned", calls)
		}
	})
}

// TestShutdownGraceful: a request that finishes within the grace period is
// answered, not cut off.
func TestShutdownGraceful(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _, _ := newTestServer(testToken)
		ln := newPipeListener()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln) }()
		c := ln.dial()
		defer c.Close()
		body := `{"token":"` + testToken + `"}`
		go c.Write([]byte("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: " +
			strconv.Itoa(len(body)) + "\r\n\r\n" + body[:1]))
		synctest.Wait()
		cancel()
		time.Sleep(time.Second) // the client takes a second for the rest
		go c.Write([]byte(body[1:]))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || res.StatusCode != http.StatusNoContent {
			t.Fatalf("login finished during the grace period: %v %v", res, err)
		}
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("Serve: %v", err)
		}
	})
}
