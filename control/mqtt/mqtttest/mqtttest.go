// Package mqtttest starts a real Mosquitto broker for tests, on a random
// 127.0.0.1 port, from a config file written in the test's temporary
// directory. A test is skipped, saying why, only when the mosquitto binary
// is missing; .ci/run installs it.
package mqtttest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Broker is one mosquitto process. Stop and Start may be called to cut and
// restore the link; the port stays the same.
type Broker struct {
	// URL is mqtt://127.0.0.1:PORT (mqtts:// with TLS).
	URL  string
	Port int
	// CAFile is the authority's certificate (PEM) with TLS.
	CAFile string

	t    testing.TB
	bin  string
	conf string
	cmd  *exec.Cmd
	done chan struct{}
}

// Binary returns the mosquitto binary's path, or "" when it is missing.
func Binary() string {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start starts a broker for t that anyone may use, and stops it when t
// ends.
func Start(t testing.TB) *Broker { t.Helper(); return StartWith(t, Config{}) }

// Config says what kind of broker to start.
type Config struct {
	// Users admits only these users (name → password), through a password
	// file made with mosquitto_passwd; nil admits anyone.
	Users map[string]string
	// TLS serves mqtts:// with a certificate for 127.0.0.1 signed by a
	// fresh authority, whose PEM file is Broker.CAFile.
	TLS bool
}

// StartWith starts a broker as c says.
func StartWith(t testing.TB, c Config) *Broker {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("mqtttest: mosquitto not installed (apt-get install mosquitto); skipping the broker test")
	}
	port := freePort(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "mosquitto.conf")
	text := fmt.Sprintf("listener %d 127.0.0.1\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n", port)
	if u, err := user.Current(); err == nil {
		// as root, mosquitto would become user "mosquitto", who cannot read
		// the test's files; as anyone else this line changes nothing
		text += "user " + u.Username + "\n"
	}
	if c.Users == nil {
		text += "allow_anonymous true\n"
	} else {
		text += "allow_anonymous false\npassword_file " + passwordFile(t, dir, c.Users) + "\n"
	}
	scheme, ca := "mqtt", ""
	if c.TLS {
		var cert, key string
		ca, cert, key = certificates(t, dir)
		text += fmt.Sprintf("cafile %s\ncertfile %s\nkeyfile %s\n", ca, cert, key)
		scheme = "mqtts"
	}
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	b := &Broker{URL: fmt.Sprintf("%s://127.0.0.1:%d", scheme, port), Port: port, CAFile: ca, t: t, bin: bin, conf: conf}
	b.Start()
	t.Cleanup(b.Stop)
	return b
}

// passwordFile writes the users' hashed passwords with mosquitto_passwd.
func passwordFile(t testing.TB, dir string, users map[string]string) string {
	t.Helper()
	path := filepath.Join(dir, "passwd")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, pw := range users {
		out, err := exec.Command("mosquitto_passwd", "-b", path, name, pw).CombinedOutput()
		if err != nil {
			t.Fatalf("mqtttest: mosquitto_passwd: %v: %s", err, out)
		}
	}
	return path
}

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start (re)starts the broker and waits until it accepts connections.
func (b *Broker) Start() {
	b.t.Helper()
	if b.cmd != nil {
		return
	}
	cmd := exec.Command(b.bin, "-c", b.conf)
	dieWithParent(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.t.Fatalf("mqtttest: start mosquitto: %v", err)
	}
	b.cmd, b.done = cmd, make(chan struct{})
	go func(done chan struct{}) { // read to the end first, then reap
		b.logLines(stderr)
		cmd.Wait()
		close(done)
	}(b.done)
	addr := fmt.Sprintf("127.0.0.1:%d", b.Port)
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-b.done:
			b.cmd = nil
			b.t.Fatalf("mqtttest: mosquitto exited at start (port %d taken?)", b.Port)
		case <-time.After(20 * time.Millisecond): // polling a process we do not control
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("mqtttest: mosquitto not listening on %s after 5s", addr)
		}
	}
}

func (b *Broker) logLines(r interface{ Read([]byte) (int, error) }) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			b.t.Logf("mosquitto: %s", line)
		}
	}
}

// Stop kills the broker (as a crash or a pulled cable would look to its
// clients) and waits for it to exit. Safe to call twice.
func (b *Broker) Stop() {
	if b.cmd == nil {
		return
	}
	b.cmd.Process.Kill()
	<-b.done
	b.cmd = nil
}
