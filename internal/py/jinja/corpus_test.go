package jinja

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// TestRenderMatchesRally renders every templated task of the corpus (in its
// unpacked repository, so includes resolve) with gonja and with Rally's own
// Jinja2 renderer, and asserts the parsed documents are equal (whitespace
// may differ; the data may not) and errors agree.
func TestRenderMatchesRally(t *testing.T) {
	testcorpus.Long(t)
	dir := filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var items []rallyoracle.Item
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !HasTemplate(b) {
			continue
		}
		repo, rest, _ := strings.Cut(e.Name(), "__")
		p := filepath.Join(testcorpus.Repo(t, repo), filepath.FromSlash(strings.ReplaceAll(rest, "__", "/")))
		items = append(items, rallyoracle.Item{Name: e.Name(), Task: p})
	}
	if len(items) < 100 {
		t.Fatalf("only %d templated tasks in the corpus", len(items))
	}
	rally, err := rallyoracle.Render(items)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for _, it := range items {
		r := rally[it.Name]
		src, _ := os.ReadFile(it.Task)
		out, err := Render(it.Task, src, nil)
		if (err != nil) != (r.Err != "") {
			t.Errorf("%s: gonja err=%v, Rally err=%q", it.Name, err, r.Err)
			continue
		}
		if err != nil {
			same++
			continue
		}
		a, errA := pyyaml.Load([]byte(out))
		b, errB := pyyaml.Load([]byte(r.Out))
		if errA != nil || errB != nil {
			t.Errorf("%s: parse gonja=%v rally=%v", it.Name, errA, errB)
			continue
		}
		if !reflect.DeepEqual(pyyaml.Value(a), pyyaml.Value(b)) {
			t.Errorf("%s: rendered data differs from Rally's", it.Name)
			continue
		}
		same++
	}
	t.Logf("%d/%d templated corpus tasks render to the same data as Rally's renderer", same, len(items))
}
