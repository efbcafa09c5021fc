package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/py/jinja"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"go.yaml.in/yaml/v3"
)

// mutation injects one fault into the first workload of a v2 task. It
// returns false when the fault does not apply to this task.
type mutation struct {
	name  string
	rule  string
	sev   Severity
	apply func(root, wl *yaml.Node, sc string) bool
	// rallyRejects: the real Rally must reject the mutated task (faults
	// Rally judges); false for lint's own warnings, which Rally accepts.
	rallyRejects bool
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
func mapping(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: kv}
}

func setKey(m *yaml.Node, k string, v *yaml.Node) {
	if _, old := task.Get(m, k); old != nil {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == k {
				m.Content[i+1] = v
			}
		}
		return
	}
	m.Content = append(m.Content, scalar(k), v)
}

func delKey(m *yaml.Node, k string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return true
		}
	}
	return false
}

func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(n)}
}

var mutations = []mutation{
	{"unknown scenario", "unknown-scenario", Error, func(_, wl *yaml.Node, _ string) bool {
		_, s := task.Get(wl, "scenario")
		s.Content[0].Value += "_typo"
		return true
	}, true},
	{"unknown runner", "unknown-runner", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "runner", mapping(scalar("constnat"), mapping(scalar("times"), intNode(1))))
		return true
	}, true},
	{"unknown context", "unknown-context", Error, func(_, wl *yaml.Node, _ string) bool {
		_, c := task.Get(wl, "contexts")
		if c == nil {
			c = mapping()
			setKey(wl, "contexts", c)
		}
		setKey(c, "userz", mapping())
		return true
	}, true},
	{"unknown sla", "unknown-sla", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "sla", mapping(scalar("failure_rat"), mapping(scalar("max"), intNode(0))))
		return true
	}, true},
	{"unknown hook trigger", "unknown-hook", Error, func(_, wl *yaml.Node, _ string) bool {
		hook := mapping(scalar("action"), mapping(scalar("sys_call"), scalar("true")),
			scalar("trigger"), mapping(scalar("evnt"), mapping(scalar("unit"), scalar("iteration"))))
		setKey(wl, "hooks", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{hook}})
		return true
	}, true},
	{"wrong hook trigger config", "hook-config", Error, func(_, wl *yaml.Node, _ string) bool {
		hook := mapping(scalar("action"), mapping(scalar("sys_call"), scalar("true")),
			scalar("trigger"), mapping(scalar("event"), mapping(scalar("unit"), scalar("minutes"), scalar("at"), intNode(1))))
		setKey(wl, "hooks", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{hook}})
		return true
	}, true},
	{"wrong workload key", "task-schema", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "contxt", mapping())
		return true
	}, true},
	{"missing title", "task-schema", Error, func(root, _ *yaml.Node, _ string) bool {
		return delKey(root, "title")
	}, true},
	{"two runners", "task-schema", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "runner", mapping(scalar("constant"), mapping(), scalar("serial"), mapping()))
		return true
	}, true},
	{"wrong runner type", "runner-config", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "runner", mapping(scalar("constant"), mapping(scalar("times"), scalar("ten"))))
		return true
	}, true},
	{"runner unknown property", "runner-config", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "runner", mapping(scalar("constant"), mapping(scalar("time"), intNode(10))))
		return true
	}, true},
	{"wrong sla type", "sla-config", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "sla", mapping(scalar("failure_rate"), mapping(scalar("max"), scalar("none"))))
		return true
	}, true},
	{"wrong users context type", "context-config", Error, func(_, wl *yaml.Node, _ string) bool {
		_, c := task.Get(wl, "contexts")
		if c == nil {
			c = mapping()
			setKey(wl, "contexts", c)
		}
		setKey(c, "users", mapping(scalar("tenants"), scalar("two")))
		return true
	}, true},
	{"missing required argument", "scenario-args", Error, func(_, wl *yaml.Node, sc string) bool {
		s, ok := View(false).Scenario(sc)
		if !ok {
			return false
		}
		_, args := task.Get(wl, "scenario")
		args = args.Content[1]
		for _, p := range s.Params {
			if p.Required && delKey(args, p.Name) {
				return true
			}
		}
		return false
	}, true},
	{"unexpected argument", "scenario-args", Error, func(_, wl *yaml.Node, sc string) bool {
		s, ok := View(false).Scenario(sc)
		if !ok || s.Kwargs {
			return false
		}
		_, sn := task.Get(wl, "scenario")
		args := sn.Content[1]
		if args.Kind != yaml.MappingNode {
			return false
		}
		setKey(args, "bogus_argument", intNode(1))
		return true
	}, true},
	// Beyond Rally: warnings on tasks Rally accepts.
	{"concurrency above times", "runner-config", Error, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "runner", mapping(scalar("constant"), mapping(scalar("times"), intNode(2), scalar("concurrency"), intNode(5))))
		return true
	}, true},
	{"failure_rate max 100", "failure-rate", Warning, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "sla", mapping(scalar("failure_rate"), mapping(scalar("max"), intNode(100))))
		return true
	}, false},
	{"sla without failure_rate", "failure-rate", Warning, func(_, wl *yaml.Node, _ string) bool {
		setKey(wl, "sla", mapping(scalar("max_seconds_per_iteration"), intNode(100)))
		return true
	}, false},
	{"quotas for an unused service", "quotas-unused", Warning, func(_, wl *yaml.Node, sc string) bool {
		s, ok := View(false).Scenario(sc)
		if !ok || s.ServiceType == "" || strings.HasPrefix(sc, "Manila") { // Manila scenarios use it
			return false
		}
		_, c := task.Get(wl, "contexts")
		if c == nil {
			c = mapping()
			setKey(wl, "contexts", c)
		}
		setKey(c, "quotas", mapping(scalar("manila"), mapping(scalar("shares"), intNode(-1))))
		return true
	}, false},
	{"sla on an atomic never recorded", "sla-unknown-atomic", Warning, func(_, wl *yaml.Node, sc string) bool {
		s, ok := View(false).Scenario(sc)
		if !ok || len(s.Atomics) == 0 {
			return false
		}
		setKey(wl, "sla", mapping(scalar("failure_rate"), mapping(scalar("max"), intNode(0)),
			scalar("max_avg_duration_per_atomic"), mapping(scalar("no_such.action"), intNode(5))))
		return true
	}, false},
}

// mutationBases are real v2 tasks without Jinja2 from the corpus that both
// Rally (per the corpus test's oracle) and lint accept, and that use no
// file validators (the mutated copies live outside their repository).
func mutationBases(t *testing.T) []corpusTask {
	var out []corpusTask
	l := New(Options{Catalog: View(true)})
	for _, c := range corpusTasks(t) {
		if !strings.Contains(c.name, "__samples__tasks__scenarios__") && !strings.Contains(c.name, "__rally-jobs__") {
			continue
		}
		b, err := os.ReadFile(c.path)
		if err != nil || jinja.HasTemplate(b) {
			continue
		}
		root, err := pyyaml.Load(b)
		if err != nil || root == nil || task.Version(root) != "2" {
			continue
		}
		fs := l.Source(c.path, b)
		if HasErrors(fs) || hasFileValidator(root) {
			continue
		}
		out = append(out, c)
	}
	// Every 20th: a spread over services and both formats, fast to run.
	var pick []corpusTask
	for i := 0; i < len(out); i += 20 {
		pick = append(pick, out[i])
	}
	return pick
}

func hasFileValidator(root *yaml.Node) bool {
	t, err := task.Build(root)
	if err != nil {
		return true
	}
	for _, st := range t.Subtasks {
		for _, w := range st.Workloads {
			if s, ok := View(true).Scenario(w.Scenario.Name); ok {
				for _, v := range s.Validators {
					switch v.Name {
					case "file_exists", "valid_command", "workbook_contains_workflow":
						return true
					}
				}
			}
		}
	}
	return false
}

// TestMutations injects every kind of fault into real valid tasks and
// asserts that lint reports it with the right rule and severity, and that
// the real Rally rejects exactly the faults it judges.
func TestMutations(t *testing.T) {
	testcorpus.Long(t)
	bases := mutationBases(t)
	if len(bases) < 10 {
		t.Fatalf("only %d base tasks", len(bases))
	}
	dir := t.TempDir()
	type mutant struct {
		path string
		m    mutation
		base string
	}
	var all []mutant
	for bi, b := range bases {
		src, _ := os.ReadFile(b.path)
		for mi, m := range mutations {
			root, _ := pyyaml.Load(src)
			_, subs := task.Get(root, "subtasks")
			st := subs.Content[0]
			wl := st
			if _, wls := task.Get(st, "workloads"); wls != nil {
				wl = wls.Content[0]
			}
			_, sn := task.Get(wl, "scenario")
			if sn == nil || len(sn.Content) < 2 {
				continue
			}
			if !m.apply(root, wl, sn.Content[0].Value) {
				continue
			}
			out, err := yaml.Marshal(root)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, fmt.Sprintf("b%02d-m%02d.yaml", bi, mi))
			if err := os.WriteFile(p, out, 0o644); err != nil {
				t.Fatal(err)
			}
			all = append(all, mutant{p, m, b.name})
		}
	}
	var items []rallyoracle.Item
	for _, mu := range all {
		items = append(items, rallyoracle.Item{Name: mu.path, Task: mu.path, Cwd: dir})
	}
	rally, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	caught := map[string]int{}
	l := New(Options{Catalog: View(true)})
	for _, mu := range all {
		fs, err := l.File(mu.path)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			if f.Rule == mu.m.rule && f.Severity == mu.m.sev {
				found = true
			}
		}
		if !found {
			t.Errorf("%s on %s: want [%s] %s, got %s", mu.m.name, mu.base, mu.m.rule, mu.m.sev, findingsText(fs))
		} else {
			caught[mu.m.name]++
		}
		v := rally[mu.path]
		if (v != nil) != mu.m.rallyRejects {
			t.Errorf("%s on %s: real Rally verdict %s, expected rejects=%v", mu.m.name, mu.base, str(v), mu.m.rallyRejects)
		}
		if HasErrors(fs) != (v != nil) {
			t.Errorf("%s on %s: lint errors=%v but Rally %s", mu.m.name, mu.base, HasErrors(fs), str(v))
		}
	}
	var kinds []string
	for _, m := range mutations {
		if caught[m.name] == 0 {
			t.Errorf("mutation %q never applied or never caught", m.name)
		}
		kinds = append(kinds, fmt.Sprintf("%s=%d", m.name, caught[m.name]))
	}
	sort.Strings(kinds)
	t.Logf("%d mutants of %d real tasks, all caught and agreeing with Rally: %s", len(all), len(bases), strings.Join(kinds, ", "))
}
