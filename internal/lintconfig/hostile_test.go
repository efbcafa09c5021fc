package lintconfig

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO (or device) named like a configuration file does not hang lint.
func TestFindSkipsSpecialFiles(t *testing.T) {
	root := t.TempDir()
	for _, name := range Files {
		if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() { Find(root, func(string) bool { return true }); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Find hangs on a FIFO")
	}
}
