package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/py/jinja"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// corpusTask is one of the 790 real task files, located in its unpacked
// repository (includes and files it names resolve there).
type corpusTask struct {
	name, repo, path string
}

// corpusTasksB lists the corpus files' paths in their repositories (for
// benchmarks).
func corpusTasksB(b *testing.B) []string {
	dir := filepath.Join(testcorpus.SharedDir(b), "corpus", "rally-tasks")
	ents, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		repo, rest, _ := strings.Cut(e.Name(), "__")
		out = append(out, filepath.Join(testcorpus.Repo(b, repo), filepath.FromSlash(strings.ReplaceAll(rest, "__", "/"))))
	}
	return out
}

func corpusTasks(t *testing.T) []corpusTask {
	t.Helper()
	dir := filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusTask
	for _, e := range ents {
		repo, rest, ok := strings.Cut(e.Name(), "__")
		if !ok {
			t.Fatalf("corpus file %s is not named <repo>__<path>", e.Name())
		}
		p := filepath.Join(testcorpus.Repo(t, repo), filepath.FromSlash(strings.ReplaceAll(rest, "__", "/")))
		flat, err1 := os.ReadFile(filepath.Join(dir, e.Name()))
		inRepo, err2 := os.ReadFile(p)
		if err1 != nil || err2 != nil || !bytes.Equal(flat, inRepo) {
			t.Fatalf("%s: not found as %s in the unpacked repository (%v %v)", e.Name(), p, err1, err2)
		}
		out = append(out, corpusTask{e.Name(), repo, p})
	}
	return out
}

// rallyVerdicts runs the real Rally (installed 3.3.0 + rally-openstack
// 2.2.0) over the tasks the way the gate does: Rally runs in the repository
// root, rally-jobs/extra is ~/.rally/extra, rally-jobs/plugins is loaded.
func rallyVerdicts(t *testing.T, tasks []corpusTask) map[string]*string {
	t.Helper()
	var items []rallyoracle.Item
	for _, c := range tasks {
		root := testcorpus.Repo(t, c.repo)
		it := rallyoracle.Item{Name: c.name, Task: c.path, Cwd: root, Extra: filepath.Join(root, "rally-jobs", "extra")}
		if fi, err := os.Stat(filepath.Join(root, "rally-jobs", "plugins")); err == nil && fi.IsDir() {
			it.Plugins = []string{filepath.Join(root, "rally-jobs", "plugins")}
		}
		items = append(items, it)
	}
	v, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// installedOnlyDiffers lists the corpus files lint (installed view) and
// the real Rally 2.2.0 judge differently, with the reason. Nothing else may
// differ; since the catalog holds the OpenStack clients (check_api_versions)
// the list is empty.
var installedOnlyDiffers = map[string]string{}

// TestCorpusAgreesWithRally: on all real task files lint reports an error
// exactly where the real Rally rejects the file. With --catalog installed
// (the release Rally runs here) the verdicts must be equal but for the
// listed files; with the default master catalog a file may differ only when
// its verdict changes between master and 2.2.0, i.e. the installed view
// agrees with Rally on it.
func TestCorpusAgreesWithRally(t *testing.T) {
	testcorpus.Long(t)
	tasks := corpusTasks(t)
	if len(tasks) != 790 {
		t.Errorf("corpus has %d task files, want 790", len(tasks))
	}
	rally := rallyVerdicts(t, tasks)
	master, installed := New(Options{Catalog: View(false)}), New(Options{Catalog: View(true)})
	agreeInst, agreeMaster, rejected, sameReason := 0, 0, 0, 0
	var masterOnly []string
	for _, c := range tasks {
		v, ok := rally[c.name]
		if !ok {
			t.Errorf("%s: no verdict from Rally", c.name)
			continue
		}
		rallyRejects := v != nil
		if rallyRejects {
			rejected++
		}
		fi, err := installed.File(c.path)
		if err != nil {
			t.Fatal(err)
		}
		fm, err := master.File(c.path)
		if err != nil {
			t.Fatal(err)
		}
		li, lm := HasErrors(fi), HasErrors(fm)
		if li && rallyRejects {
			// Same reason: Rally's complaint maps to the rule lint used.
			if want := ruleFor(*v); want != "" && !hasRule(fi, want) {
				t.Errorf("%s: Rally rejects for [%s] but lint says %s\n  rally: %s", c.name, want, findingsText(fi), str(v))
			} else if want != "" {
				sameReason++
			}
		}
		if li == rallyRejects {
			agreeInst++
			if _, listed := installedOnlyDiffers[c.name]; listed {
				t.Errorf("%s: listed as a difference but lint and Rally agree now; drop it from the list", c.name)
			}
		} else if _, listed := installedOnlyDiffers[c.name]; !listed {
			t.Errorf("%s: Rally %s, lint --catalog installed %s\n  rally: %s\n  lint: %s", c.name, verdict(rallyRejects), verdict(li), str(v), findingsText(fi))
		}
		if lm == rallyRejects {
			agreeMaster++
		} else if li == rallyRejects {
			masterOnly = append(masterOnly, c.name+": "+firstError(fm, fi))
		} else if _, listed := installedOnlyDiffers[c.name]; !listed {
			t.Errorf("%s: Rally %s, lint (master) %s\n  %s", c.name, verdict(rallyRejects), verdict(lm), findingsText(fm))
		}
	}
	sort.Strings(masterOnly)
	t.Logf("real Rally rejects %d of %d files", rejected, len(tasks))
	t.Logf("lint --catalog installed agrees with Rally 2.2.0 on %d/%d (listed differences: %d); same reason on %d of the %d rejected", agreeInst, len(tasks), len(installedOnlyDiffers), sameReason, rejected)
	t.Logf("lint (master catalog) agrees on %d/%d; %d differ because master and 2.2.0 differ:\n  %s", agreeMaster, len(tasks), len(masterOnly), strings.Join(masterOnly, "\n  "))
}

func verdict(rejects bool) string {
	if rejects {
		return "rejects"
	}
	return "accepts"
}

func str(s *string) string {
	if s == nil {
		return "accepted"
	}
	if len(*s) > 400 {
		return (*s)[:400]
	}
	return *s
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "; ")
	}
	return b.String()
}

// firstError explains a master-vs-installed difference by the error one
// of the views reports.
func firstError(a, b []Finding) string {
	for _, l := range [][]Finding{a, b} {
		for _, f := range l {
			if f.Severity == Error {
				return f.Message + " [" + f.Rule + "]"
			}
		}
	}
	return ""
}

// ruleFor maps the reason in Rally's message to the lint rule that must
// report the same problem ("" when the reason is not mapped).
func ruleFor(rally string) string {
	switch {
	case strings.Contains(rally, "There is no Scenario plugin"):
		return "unknown-scenario"
	case strings.Contains(rally, "args-spec"):
		return "scenario-args"
	case strings.Contains(rally, "file_exists"), strings.Contains(rally, "valid_command"), strings.Contains(rally, "workbook_contains_workflow"):
		return "file-exists"
	case strings.Contains(rally, "Context plugin") && strings.Contains(rally, "jsonschema"):
		return "context-config"
	case strings.Contains(rally, "Runner plugin") && strings.Contains(rally, "jsonschema"):
		return "runner-config"
	case strings.Contains(rally, "SLA plugin") && strings.Contains(rally, "jsonschema"):
		return "sla-config"
	case strings.Contains(rally, "Please specify template task argument"):
		return "render"
	}
	return ""
}

func hasRule(fs []Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == Error {
			return true
		}
	}
	return false
}

// renderedTask is a corpus task that renders (without arguments) to a
// YAML mapping.
type renderedTask struct {
	c    corpusTask
	src  []byte
	root *yaml.Node
}

func renderedCorpus(t *testing.T) []renderedTask {
	t.Helper()
	var out []renderedTask
	for _, c := range corpusTasks(t) {
		src, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		text, err := jinja.Render(c.path, src, nil)
		if err != nil {
			continue
		}
		root, err := pyyaml.Load([]byte(text))
		if err != nil || root == nil || root.Kind != yaml.MappingNode {
			continue
		}
		out = append(out, renderedTask{c, src, root})
	}
	return out
}
