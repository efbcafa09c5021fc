package main

import (
	"strings"
	"testing"
)

// The tree is built lazily from registered names (newRootCmd): a name that
// differs from the command's own would leave the command unreachable by
// the fast path, or build the wrong one.
func TestRegisteredNames(t *testing.T) {
	if len(commands) < 10 {
		t.Fatalf("%d commands registered", len(commands))
	}
	for _, c := range commands {
		if got := c.build().Name(); got != c.name {
			t.Errorf("registered as %q, command is %q", c.name, got)
		}
		root := newRootCmd([]string{c.name})
		if n := len(root.Commands()); n != 1 {
			t.Errorf("%s: %d commands built, want 1", c.name, n)
		}
	}
	if n := len(newRootCmd([]string{"help"}).Commands()); n != len(commands) {
		t.Errorf("help: %d commands built, want %d", n, len(commands))
	}
}

// Help and a misspelt command still see every command.
func TestHelpListsAllCommands(t *testing.T) {
	code, out := runOut(t, "--help")
	if code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	for _, c := range commands {
		if !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("--help does not list %s:\n%s", c.name, out)
		}
	}
	if code := run([]string{"lnit"}); code != exitUsage {
		t.Errorf("misspelt command: exit %d, want %d", code, exitUsage)
	}
}
