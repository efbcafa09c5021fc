package jinja

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"

	"github.com/nikolalohinski/gonja/v2/loaders"
	"github.com/rallyforge/rallyforge/internal/fsutil"
)

// taskLoader finds included and imported templates as Rally's
// jinja2.FileSystemLoader(os.path.dirname(task)) does: a name is split on
// "/", empty and "." pieces are dropped (so "/etc/passwd" is
// <task folder>/etc/passwd), a ".." piece is TemplateNotFound, and the
// name is always relative to the task's folder, whichever template
// includes it. Beyond Jinja2, a file reached through a symlink that
// leaves the folder, or that is not a regular file (a FIFO, /dev/zero),
// is not found either, and templates are at most fsutil.MaxTextFile.
type taskLoader struct {
	root        string // the task's folder
	rootID      string // the name the task itself is rendered under
	rootContent []byte
}

func newTaskLoader(dir, rootID string, src []byte) (*taskLoader, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &taskLoader{root: abs, rootID: rootID, rootContent: src}, nil
}

// notFound is Jinja2's TemplateNotFound.
type notFound struct{ name string }

func (e *notFound) Error() string { return "TemplateNotFound: " + e.name }

// Resolve is split_template_path + posixpath.join(searchpath, *pieces).
func (l *taskLoader) Resolve(name string) (string, error) {
	if name == l.rootID {
		return name, nil
	}
	var pieces []string
	for _, p := range strings.Split(name, "/") {
		switch {
		case p == "..", strings.ContainsRune(p, filepath.Separator) && filepath.Separator != '/':
			return "", &notFound{name}
		case p != "" && p != ".":
			pieces = append(pieces, p)
		}
	}
	if len(pieces) == 0 {
		return "", &notFound{name}
	}
	return filepath.Join(append([]string{l.root}, pieces...)...), nil
}

func (l *taskLoader) Read(name string) (io.Reader, error) {
	if name == l.rootID {
		return bytes.NewReader(l.rootContent), nil
	}
	p := name
	if !filepath.IsAbs(p) || !strings.HasPrefix(p, l.root+string(filepath.Separator)) {
		var err error
		if p, err = l.Resolve(name); err != nil {
			return nil, err
		}
	}
	rel, err := filepath.Rel(l.root, p)
	if err != nil {
		return nil, &notFound{name}
	}
	inside, err := fsutil.Within(l.root, rel)
	if err != nil {
		return nil, &notFound{name}
	}
	b, err := fsutil.ReadRegular(inside, fsutil.MaxTextFile)
	if err != nil {
		return nil, &notFound{name}
	}
	return bytes.NewReader(b), nil
}

// Inherit keeps the same root: Jinja2 resolves every name against the
// loader's search path, not against the including template's folder.
func (l *taskLoader) Inherit(string) (loaders.Loader, error) { return l, nil }
