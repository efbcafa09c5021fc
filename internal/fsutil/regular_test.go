package fsutil

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO, a socket or a device where a file is expected must be refused at
// once: opening a FIFO blocks until a writer comes, /dev/zero never ends.
func TestReadRegularRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	link := filepath.Join(dir, "zero-link")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, sock, "/dev/zero", "/dev/urandom", link, dir} {
		done := make(chan error, 1)
		go func() { _, err := ReadRegular(p, 0); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: got %v, want ErrNotRegular", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: ReadRegular hangs", p)
		}
	}
}

func TestReadRegularSizeLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, 101), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRegular(p, 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("101 bytes, limit 100: got %v", err)
	}
	if b, err := ReadRegular(p, 101); err != nil || len(b) != 101 {
		t.Errorf("101 bytes, limit 101: %d %v", len(b), err)
	}
}
