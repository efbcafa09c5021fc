package lint

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/py/jinja"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

var scenarioKeyRe = regexp.MustCompile(`(?m)^(\s*"?)([A-Z][A-Za-z]+\.[a-z_0-9]+)("?\s*:)`)

// Positions are traced through Jinja2: in every templated corpus task, a
// typo injected into the k-th scenario name of the template (a copy beside
// the original, so includes resolve) is reported on that very line.
func TestPositionsThroughTemplates(t *testing.T) {
	testcorpus.Long(t)
	checked, traced := 0, 0
	l := New(Options{Catalog: View(false)})
	copies := map[string]string{} // repo -> writable copy
	for _, c := range corpusTasks(t) {
		src, err := os.ReadFile(c.path)
		if err != nil || !jinja.HasTemplate(src) {
			continue
		}
		locs := scenarioKeyRe.FindAllSubmatchIndex(src, -1)
		for k, loc := range locs {
			if k%3 != 0 { // a third of them keeps the test fast
				continue
			}
			mut := string(src[:loc[5]]) + "Typo" + string(src[loc[5]:])
			line := strings.Count(string(src[:loc[4]]), "\n") + 1
			if copies[c.repo] == "" {
				copies[c.repo] = testcorpus.Copy(t, c.repo)
			}
			// Beside the original (in a copy of the repository) so that
			// includes and imports resolve.
			rel, _ := filepath.Rel(testcorpus.Repo(t, c.repo), c.path)
			p := filepath.Join(copies[c.repo], filepath.Dir(rel), "lint-position-"+filepath.Base(c.path))
			if err := os.WriteFile(p, []byte(mut), 0o644); err != nil {
				t.Fatal(err)
			}
			fs := l.Source(p, []byte(mut))
			os.Remove(p)
			name := string(src[loc[4]:loc[5]]) + "Typo"
			for _, f := range fs {
				if f.Rule == "unknown-scenario" && strings.Contains(f.Message, `"`+name+`"`) {
					checked++
					if f.Line == line {
						traced++
					} else {
						t.Errorf("%s: %s reported at line %d, written at line %d", c.name, name, f.Line, line)
					}
					break
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d injected typos checked", checked)
	}
	t.Logf("%d/%d scenario typos in templated tasks reported on their template line", traced, checked)
}
