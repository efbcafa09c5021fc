package fsutil

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// ErrChanged is returned when a file changed between the moment a command
// read it and the moment it would replace it (another editor, a second run).
var ErrChanged = errors.New("changed on disk since it was read; nothing written, run again")

// Write is one file of a set written together by WriteAll.
type Write struct {
	Rel  string // relative to the root
	Data []byte
	Perm os.FileMode
	// Old is the content the file had when the command read it; nil means
	// it must not exist. The file must still hold exactly Old right
	// before it is replaced.
	Old []byte
}

// WriteAll writes a set of files as one: every path is checked first
// (inside root, no symlink out, not a folder, still what was read), every
// file is written to a temporary file beside its destination, and only then
// are they renamed into place. On any failure nothing of this run remains:
// temporary files and the folders it created are removed, and files
// already renamed are put back as they were.
func WriteAll(root string, ws []Write) (err error) {
	type staged struct {
		w        Write
		dst, tmp string
		done     bool
	}
	var st []*staged
	var madeDirs []string
	defer func() {
		if err == nil {
			return
		}
		for i := len(st) - 1; i >= 0; i-- {
			s := st[i]
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
			if s.done {
				if s.w.Old == nil {
					os.Remove(s.dst)
				} else {
					_ = writeTemp(s.dst, s.w.Old, s.w.Perm)
				}
			}
		}
		// Deepest first: a folder made inside another made one.
		sort.Slice(madeDirs, func(i, j int) bool { return len(madeDirs[i]) > len(madeDirs[j]) })
		for _, d := range madeDirs {
			os.Remove(d) // only if empty
		}
	}()
	// 1. Check everything before touching anything.
	for _, w := range ws {
		dst, err := Within(root, w.Rel)
		if err != nil {
			return err
		}
		if err := sameAsRead(dst, w); err != nil {
			return fmt.Errorf("%s: %w", w.Rel, err)
		}
		st = append(st, &staged{w: w, dst: dst})
	}
	// 2. Folders, then temporary files beside each destination.
	for _, s := range st {
		dirs, err := mkdirs(filepath.Dir(s.dst))
		madeDirs = append(madeDirs, dirs...)
		if err != nil {
			return fmt.Errorf("%s: %w", s.w.Rel, err)
		}
		// A folder made now may be a symlink race: check again.
		if _, err := Within(root, s.w.Rel); err != nil {
			return err
		}
		tmp, err := stage(s.dst, s.w.Data, s.w.Perm)
		if err != nil {
			return fmt.Errorf("%s: %w", s.w.Rel, err)
		}
		s.tmp = tmp
	}
	// 3. The last look (another writer may have come meanwhile), then the
	// renames.
	for _, s := range st {
		if err := sameAsRead(s.dst, s.w); err != nil {
			return fmt.Errorf("%s: %w", s.w.Rel, err)
		}
	}
	for _, s := range st {
		if err := os.Rename(s.tmp, s.dst); err != nil {
			return fmt.Errorf("%s: %w", s.w.Rel, err)
		}
		s.tmp, s.done = "", true
	}
	return nil
}

// sameAsRead checks that dst still is what the command read.
func sameAsRead(dst string, w Write) error {
	fi, err := os.Lstat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if w.Old != nil {
			return ErrChanged
		}
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		return errors.New("is a directory")
	case !fi.Mode().IsRegular():
		return ErrNotRegular
	case w.Old == nil:
		return ErrChanged // appeared since
	}
	cur, err := ReadRegular(dst, int64(len(w.Old))+1)
	if err != nil || !bytes.Equal(cur, w.Old) {
		return ErrChanged
	}
	return nil
}

// mkdirs creates dir and its missing parents, returning those it created.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue // made by someone else meanwhile
		}
		if err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// stage writes data to a synced temporary file beside dst.
func stage(dst string, data []byte, perm os.FileMode) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".rallyforge-*")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && perm != 0 {
		err = os.Chmod(name, perm)
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// writeTemp replaces dst with data through a temporary file.
func writeTemp(dst string, data []byte, perm os.FileMode) error {
	tmp, err := stage(dst, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
