package history

import (
	"os"
	"path/filepath"
	"testing"
)

// A --db path is a file name, whatever characters it holds: '#', '%', '?'
// and a "//" or "file:" start used to be read as SQLite URI syntax (h#1.db
// wrote "h", p%41.db wrote "pA.db"). ":memory:" would keep nothing: refused.
func TestSQLitePathsAreFileNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"h#1.db", "p%41.db", "q?mode=ro.db", "x?_pragma=journal_mode(off).db", "file:y.db", "a b.db"} {
		p := filepath.Join(dir, name)
		s, err := Open(p)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		s.Close()
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: not written (%v)", name, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 6 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("files written: %q", names)
	}
	for _, name := range []string{":memory:", ""} {
		if s, err := Open(name); err == nil {
			s.Close()
			t.Errorf("%q accepted", name)
		}
	}
}
