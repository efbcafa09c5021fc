// Package fsutil holds the file-system rules every writing command obeys:
// writes are atomic (temp file + rename), nothing is written outside the
// target repository, and symlinks are never followed out of it.
package fsutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
