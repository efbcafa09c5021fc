// Package fsutil holds the file-system rules every writing command obeys:
// writes are atomic (temp file + rename), nothing is written outside the
// target repository, and symlinks are never followed out of it.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrOutside is returned when a path would leave the repository root.
var ErrOutside = errors.New("path leaves the repository")

// Within resolves rel inside root and refuses any path that leaves root,
// either lexically ("../x") or through a symlink anywhere along the way
// (including a dangling one). The returned path is root-joined and clean.
func Within(root, rel string) (string, error) {
	if filepath.IsAbs(rel) {
		return "", fmt.Errorf("%s: %w", rel, ErrOutside)
	}
	clean := filepath.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: %w", rel, ErrOutside)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	realRoot, err = filepath.Abs(realRoot)
	if err != nil {
		return "", err
	}
	// Walk each existing component; a symlink must resolve inside root.
	cur := realRoot
	parts := strings.Split(clean, string(filepath.Separator))
	for i, p := range parts {
		if p == "." || p == "" {
			continue
		}
		next := filepath.Join(cur, p)
		fi, err := os.Lstat(next)
		if errors.Is(err, os.ErrNotExist) {
			// The rest does not exist yet: nothing to follow.
			return filepath.Join(append([]string{cur}, parts[i:]...)...), nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(next)
			if err != nil {
				return "", fmt.Errorf("%s: symlink %s cannot be resolved: %w", rel, filepath.Join(parts[:i+1]...), err)
			}
			if !inside(realRoot, target) {
				return "", fmt.Errorf("%s: symlink %s points outside the repository: %w", rel, filepath.Join(parts[:i+1]...), ErrOutside)
			}
			next = target
		}
		cur = next
	}
	return cur, nil
}

func inside(root, p string) bool {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return r == "." || (r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)))
}

// WriteFileAtomic writes data to root/rel through a temporary file in the
// same directory and a rename, creating parent directories as needed. The
// path is checked with Within first.
func WriteFileAtomic(root, rel string, data []byte, perm os.FileMode) error {
	dst, err := Within(root, rel)
	if err != nil {
		return err
	}
	if fi, err := os.Lstat(dst); err == nil && fi.IsDir() {
		return fmt.Errorf("%s: is a directory", rel)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".rallyforge-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmpName, perm); err != nil {
		return err
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return err
	}
	ok = true
	return nil
}

// WriteFileAtomicAbs is WriteFileAtomic for a path outside any repository
// (a user-chosen output file): temp file + rename, no root check.
func WriteFileAtomicAbs(path string, data []byte, perm os.FileMode) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Dir(abs), filepath.Base(abs), data, perm)
}

// MaxTextFile is the largest task, task-args, Zuul or metadata file any
// command reads (8 MiB): the largest file under a rally-jobs/ of the 45
// corpus repositories is 441 KiB (a mistral workflow) and the largest Zuul
// file 49 KiB, while a 200 MB task took 7.8 GB to parse. Results files are
// streamed and have no such limit.
const MaxTextFile = 8 << 20

// ErrNotRegular is returned for a FIFO, socket, device or directory where a
// file is expected: opening a FIFO blocks until a writer comes, and a device
// like /dev/zero never ends.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a file over the size limit of its reader.
var ErrTooLarge = errors.New("file too large")

// OpenRegular opens path (following symlinks) for reading only if it is a
// regular file. The open is non-blocking, so a FIFO swapped in after the
// check does not hang, and the opened file is checked again.
func OpenRegular(path string) (*os.File, os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, notRegular(path, st)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, notRegular(path, st)
	}
	return f, st, nil
}

func notRegular(path string, st os.FileInfo) error {
	kind := "not a regular file"
	switch m := st.Mode(); {
	case m.IsDir():
		kind = "a directory"
	case m&os.ModeNamedPipe != 0:
		kind = "a FIFO"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	case m&os.ModeDevice != 0:
		kind = "a device"
	}
	return &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind)}
}

// ReadRegular reads path if it is a regular file of at most max bytes
// (MaxTextFile when max <= 0). Every reader of user files goes through it.
func ReadRegular(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = MaxTextFile
	}
	f, st, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > max {
		return nil, tooLarge(path, st.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max { // grew since the stat
		return nil, tooLarge(path, int64(len(b)), max)
	}
	return b, nil
}

func tooLarge(path string, size, max int64) error {
	return &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, size, max)}
}

// Bare strips the *os.PathError around err, for messages that name the
// file themselves (relative to the repository, not as opened).
func Bare(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
