package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY returns a pseudo-terminal pair: what is written to tty is read
// from master (a terminal, as when a person runs lint).
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// runTTY runs the CLI with stdout on a terminal and returns what it showed.
func runTTY(t *testing.T, args ...string) (int, string) {
	master, tty := openPTY(t)
	shown := make(chan string, 1)
	go func() {
		// Reads until the terminal side is closed (then EIO).
		b, _ := io.ReadAll(master)
		shown <- string(b)
	}()
	old := os.Stdout
	os.Stdout = tty
	code := run(args)
	os.Stdout = old
	tty.Close()
	select {
	case s := <-shown:
		return code, s
	case <-time.After(10 * time.Second):
		t.Fatal("terminal output not read back")
	}
	return code, ""
}

// Colour on a terminal by default; never when NO_COLOR is set, with
// --color never, or when the output is not a terminal; --color always
// forces it. Severity shows in plain text and a summary line closes the
// output either way.
func TestLintColor(t *testing.T) {
	task := golden + "warnings.yaml"
	bad := golden + "unknown-scenario.yaml"
	for _, c := range []struct {
		name    string
		tty     bool
		noColor string
		args    []string
		color   bool
	}{
		{"terminal", true, "", nil, true},
		{"terminal, NO_COLOR", true, "1", nil, false},
		{"terminal, never", true, "", []string{"--color", "never"}, false},
		{"pipe", false, "", nil, false},
		{"pipe, always", false, "", []string{"--color", "always"}, true},
		{"pipe, always beats NO_COLOR", false, "1", []string{"--color=always"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", c.noColor)
			// A terminal that shows colour, whatever the caller's TERM is
			// (CI's may be dumb or unset).
			t.Setenv("TERM", "xterm-256color")
			args := append(append([]string{"lint"}, c.args...), task, bad)
			var out string
			var code int
			if c.tty {
				code, out = runTTY(t, args...)
			} else {
				code, out = runOut(t, args...)
			}
			if code != exitFindings {
				t.Errorf("exit %d", code)
			}
			if got := strings.Contains(out, "\x1b["); got != c.color {
				t.Errorf("coloured %v, want %v:\n%q", got, c.color, out)
			}
			plain := ansi(out)
			if !strings.Contains(plain, ": warning: ") || !strings.Contains(plain, ": error: ") {
				t.Errorf("severity not shown:\n%s", plain)
			}
			if !strings.Contains(plain, "1 error, 1 warning in 2 files") && !strings.Contains(plain, "warnings in 2 files") {
				t.Errorf("no summary line:\n%s", plain)
			}
		})
	}
	if code, _ := runOut(t, "lint", "--color", "sometimes", task); code != exitUsage {
		t.Errorf("--color sometimes: exit %d", code)
	}
}

// ansi drops escape codes (and the terminal's \r before \n).
func ansi(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\x1b' {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		if s[i] != '\r' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
