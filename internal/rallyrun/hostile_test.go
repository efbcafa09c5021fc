package rallyrun

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A cloud that accepts TCP connections and never answers (http or https)
// ends the probe at its timeout with a clear message, instead of leaving
// Rally waiting forever.
func TestProbeSilentServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }() // held open, never answered
		}
	}()
	old := probeTimeout
	probeTimeout = 500 * time.Millisecond
	defer func() { probeTimeout = old }()
	for _, scheme := range []string{"http", "https"} {
		u := scheme + "://" + l.Addr().String() + "/v3"
		start := time.Now()
		err := probe(context.Background(), []string{"OS_AUTH_URL=" + u})
		var e *Error
		if !errors.As(err, &e) || e.Kind != Failed || !strings.Contains(e.Msg, "does not answer within") {
			t.Errorf("%s: got %v, want a timeout failure", u, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: probe took %s", u, d)
		}
	}
}

// The state folder holds rally.sqlite with the admin password: the folder
// is 0700 and its files 0600, also when an earlier run left them open.
func TestStateIsPrivate(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	os.MkdirAll(state, 0o755)
	os.WriteFile(filepath.Join(state, "rally.log"), []byte("old"), 0o644)
	// A stand-in for rally: "db create" makes the database as Rally does,
	// with the default umask.
	bin := filepath.Join(t.TempDir(), "rally")
	script := "#!/bin/sh\numask 022\n: > \"$HOME/../rally.sqlite\"\necho log >> \"$HOME/../rally.log\"\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	task := filepath.Join(t.TempDir(), "task.yaml")
	os.WriteFile(task, []byte("{}"), 0o644)
	if _, err := prepare(bin, task, Options{StateDir: state}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(state)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state folder mode %v %v, want 0700", fi.Mode().Perm(), err)
	}
	for _, n := range []string{"rally.sqlite", "rally.conf", "rally.log"} {
		fi, err := os.Stat(filepath.Join(state, n))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v %v, want 0600", n, fi.Mode().Perm(), err)
		}
	}
}
