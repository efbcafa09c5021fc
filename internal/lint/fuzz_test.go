package lint

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLint drives arbitrary text through render → parse → lint: no input
// may panic, and every finding must carry a position and a rule. Seeds are
// the golden tasks (run as normal test cases without -fuzz).
func FuzzLint(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/golden/*.[yj]*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("{% for i in range(3) %}- {{ i }}\n{% endfor %}"))
	f.Add([]byte("version: 2\ntitle: t\nsubtasks: [{title: a, scenario: {Dummy.dummy: &a {}}, runner: *a}]"))
	f.Add([]byte("[1, 2"))
	opts := Options{Catalog: View(false)}
	path := filepath.Join(f.TempDir(), "task.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, fd := range Source(path, src, opts) {
			if fd.Line < 1 || fd.Column < 1 || fd.Rule == "" || fd.Message == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
