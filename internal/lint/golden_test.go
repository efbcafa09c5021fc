package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/rallyoracle"
)

var update = flag.Bool("update", false, "rewrite the golden .out files")

// goldenFiles are the hand-written tasks of testdata/ (each with an .out
// beside it holding lint's text output).
func goldenFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/golden/*.[yj]*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".out") {
			out = append(out, f)
		}
	}
	return append(out, "testdata/localrepo/rally-jobs/local.yaml")
}

// TestGolden pins messages and positions (text output with source lines),
// and checks that the real Rally rejects exactly the golden files that
// have an error finding.
func TestGolden(t *testing.T) {
	files := goldenFiles(t)
	var items []rallyoracle.Item
	for _, f := range files {
		root := repoRoot(f)
		items = append(items, rallyoracle.Item{Name: f, Task: f, Cwd: root, Extra: filepath.Join(root, "rally-jobs", "extra"),
			Plugins: []string{filepath.Join(root, "rally-jobs", "plugins")}})
	}
	// The verdicts of the real Rally are not asked for with -short; the
	// outputs are still compared.
	var rally map[string]*string
	if !testing.Short() {
		var err error
		if rally, err = rallyoracle.Validate(items); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fs, err := File(f, Options{Catalog: View(false)})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		WriteText(&buf, fs)
		want := strings.TrimSuffix(f, filepath.Ext(f)) + ".out"
		if *update {
			if err := os.WriteFile(want, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		exp, err := os.ReadFile(want)
		if err != nil {
			t.Fatalf("%s: %v (run go test -run Golden -update)", f, err)
		}
		if !bytes.Equal(buf.Bytes(), exp) {
			t.Errorf("%s: output differs from %s\n--- got\n%s--- want\n%s", f, want, buf.String(), exp)
		}
		if v := rally[f]; rally != nil && HasErrors(fs) != (v != nil) {
			t.Errorf("%s: lint errors=%v, real Rally: %s", f, HasErrors(fs), str(v))
		}
	}
}
