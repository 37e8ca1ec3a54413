package danmu

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// A source's connection goes connecting → connected → reconnecting
// (since the loss, counting attempts) → connected → ended, and the
// first end stays.
func TestConnStates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c Counters
		if got := c.Conn(); got.State != ConnConnecting || !got.Since.IsZero() {
			t.Fatalf("zero Counters: %+v", got)
		}
		c.Connecting("9999")
		start := time.Now()
		time.Sleep(time.Second)
		c.Connected("")
		if got := c.Conn(); got.State != ConnConnected || got.Room != "9999" || !got.Since.Equal(start.Add(time.Second)) {
			t.Fatalf("connected: %+v", got)
		}
		time.Sleep(time.Minute)
		lost := time.Now()
		c.Reconnecting(ErrClassClosed)
		time.Sleep(2 * time.Second)
		c.Reconnecting(ErrClassRefused)
		got := c.Conn()
		if got.State != ConnReconnecting || !got.Since.Equal(lost) || got.Attempts != 2 || got.Err != ErrClassRefused {
			t.Fatalf("reconnecting: %+v", got)
		}
		time.Sleep(time.Second)
		c.Connected("21144080") // a room learnt on connecting replaces none it had
		if got := c.Conn(); got.State != ConnConnected || got.Attempts != 0 || got.Err != "" || got.Room != "21144080" || !got.Since.Equal(time.Now()) {
			t.Fatalf("connected again: %+v", got)
		}
		c.Ended(ErrClassNotFound)
		ended := time.Now()
		time.Sleep(time.Second)
		c.Ended("")
		c.Connected("")
		c.Reconnecting(ErrClassTimeout)
		if got := c.Conn(); got.State != ConnEnded || got.Err != ErrClassNotFound || !got.Since.Equal(ended) {
			t.Fatalf("ended: %+v", got)
		}
	})
}

// Got counts events and keeps the last one's time without a lock; nil
// Counters take every call.
func TestConnGot(t *testing.T) {
	var nilC *Counters
	nilC.Connecting("x")
	nilC.Connected("x")
	nilC.Reconnecting(ErrClassClosed)
	nilC.Ended("")
	nilC.Got(3, time.Now())
	if got := nilC.Conn(); got.State != ConnConnecting || got.Events != 0 {
		t.Fatalf("nil Counters: %+v", got)
	}
	var c Counters
	at := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 1000 {
				c.Got(2, at.Add(time.Duration(i)))
			}
		})
	}
	wg.Wait()
	c.Got(0, at.Add(time.Hour)) // an empty batch is no event
	got := c.Conn()
	if got.Events != 8000 || got.LastEvent.Sub(at) < 0 || got.LastEvent.Sub(at) > 3 {
		t.Fatalf("after 4000 batches of 2: %+v", got)
	}
}

func TestErrClass(t *testing.T) {
	// A port nothing listens on any more, on loopback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, refused := net.Dial("tcp", addr)
	if refused == nil {
		t.Skip("something took the port back")
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("douyu: %w", refused), ErrClassRefused},
		{&net.DNSError{Err: "no such host", Name: "danmuproxy.douyu.com", IsNotFound: true}, ErrClassDNS},
		{&net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}, ErrClassDNS},
		{fmt.Errorf("x: %w", x509.UnknownAuthorityError{}), ErrClassTLS},
		{fmt.Errorf("x: %w", os.ErrDeadlineExceeded), ErrClassTimeout},
		{context.DeadlineExceeded, ErrClassTimeout},
		{io.EOF, ErrClassClosed},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), ErrClassClosed},
		{net.ErrClosed, ErrClassClosed},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route")}, ErrClassNetwork},
		{errors.New("douyu: something else"), ErrClassOther},
	} {
		if got := ErrClass(tc.err); got != tc.want {
			t.Errorf("ErrClass(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
