package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestRunSignature(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string // name? for required, name for optional, ** for kwargs, "nil" when unreadable
	}{
		{"\nclass A(scenario.OpenStackScenario):\n    def run(self, a, b=1, *args, **kwargs):\n        pass\n", "a? b **"},
		{"\nclass A(object):\n    \"\"\"Doc.\"\"\"\n\n    def _helper(self, x):\n        pass\n\n    def run(\n        self,\n        name: str,\n        sizes=(1, 2),  # comment, with comma\n        flavor={\"a\": 1},\n    ) -> None:\n        pass\n", "name? sizes flavor"},
		{"\nclass A(Base):\n    pass\n\nclass B(object):\n    def run(self, x):\n        pass\n", "nil"},
		{"\nclass A(Base):\n    def run(self):\n        pass\n", ""},
	} {
		sig := runSignature([]byte(c.src))
		got := "nil"
		if sig != nil {
			got = ""
			for _, p := range sig.Params {
				if got != "" {
					got += " "
				}
				got += p.Name
				if p.Required {
					got += "?"
				}
			}
			if sig.Kwargs {
				got += " **"
			}
		}
		if got != c.want {
			t.Errorf("runSignature(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

func FuzzRunSignature(f *testing.F) {
	f.Add([]byte("\nclass A(B):\n    def run(self, a, b=(1,'x,y'), **k):\n        pass\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		runSignature(b)
		splitParams(string(b))
	})
}

// localPluginsPy defines one plugin of every kind the way repositories
// write them in rally-jobs/plugins (kuryr-libnetwork's docker_network
// context is `@context.configure(name=…, order=1000)`), plus a context
// decorated with a bare imported configure, told by its base class.
const localPluginsPy = `from rally.task import context, hook, runner, sla
from rally.task.context import configure


@context.configure(name="repo_ctx", order=1000)
class RepoContext(context.Context):
    CONFIG_SCHEMA = {"type": "object"}

    def setup(self):
        pass

    def cleanup(self):
        pass


@configure(name="bare_ctx", order=1001)
class BareContext(context.Context):
    CONFIG_SCHEMA = {"type": "object"}

    def setup(self):
        pass

    def cleanup(self):
        pass


@sla.configure(name="repo_sla")
class RepoSLA(sla.SLA):
    CONFIG_SCHEMA = {"type": "number"}

    def add_iteration(self, iteration):
        return True

    def merge(self, other):
        return True

    def details(self):
        return "ok"


@runner.configure(name="repo_runner")
class RepoRunner(runner.ScenarioRunner):
    CONFIG_SCHEMA = {"type": "object"}

    def _run_scenario(self, cls, method_name, context, args):
        pass


@hook.configure(name="repo_action")
class RepoAction(hook.HookAction):
    CONFIG_SCHEMA = {"type": "string"}

    def run(self):
        pass


@hook.configure(name="repo_trigger")
class RepoTrigger(hook.HookTrigger):
    CONFIG_SCHEMA = {"type": "object"}

    def get_listening_event(self):
        return "iteration"

    def on_event(self, event_type, value=None):
        pass
`

// TestLocalPlugins: runners, contexts, SLAs and hooks a repository defines
// in rally-jobs/plugins are known by name, as Rally knows them once it
// loads the folder; a misspelt one is still an error, with the local name
// suggested. The real Rally, loading the same folder, agrees on each task.
func TestLocalPlugins(t *testing.T) {
	testcorpus.Long(t)
	root := t.TempDir()
	plugins := filepath.Join(root, "rally-jobs", "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plugins, "local_plugins.py"), []byte(localPluginsPy), 0o644); err != nil {
		t.Fatal(err)
	}
	const good = `version: 2
title: local plugins
subtasks:
- title: all kinds
  scenario: {Dummy.dummy: {}}
  runner: {repo_runner: {}}
  contexts: {repo_ctx: {}, bare_ctx: {}}
  sla: {repo_sla: 1, failure_rate: {max: 0}}
  hooks:
  - action: {repo_action: "x"}
    trigger: {repo_trigger: {}}
`
	cases := []struct {
		name, src, rule, msg string // rule "" = no error
	}{
		{"good", good, "", ""},
		{"context typo", strings.Replace(good, "repo_ctx: {}", "repo_ctz: {}", 1), "unknown-context", "did you mean repo_ctx?"},
		{"sla typo", strings.Replace(good, "repo_sla: 1", "repo_slaa: 1", 1), "unknown-sla", "did you mean repo_sla?"},
		{"runner typo", strings.Replace(good, "repo_runner", "repo_runer", 1), "unknown-runner", "did you mean repo_runner?"},
		{"trigger typo", strings.Replace(good, "repo_trigger", "repo_triger", 1), "unknown-hook", "did you mean repo_trigger?"},
		// A context name is not a runner: kinds are kept apart.
		{"context as runner", strings.Replace(good, "repo_runner", "repo_ctx", 1), "unknown-runner", ""},
	}
	var items []rallyoracle.Item
	for _, c := range cases {
		p := filepath.Join(root, "rally-jobs", strings.ReplaceAll(c.name, " ", "-")+".yaml")
		if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		items = append(items, rallyoracle.Item{Name: c.name, Task: p, Cwd: root, Plugins: []string{plugins}})
	}
	rally, err := rallyoracle.Validate(items)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		fs, err := File(items[i].Task, Options{Catalog: View(true)})
		if err != nil {
			t.Fatal(err)
		}
		if got := HasErrors(fs); got != (rally[c.name] != nil) {
			t.Errorf("%s: lint errors=%v, real Rally: %s\n%s", c.name, got, str(rally[c.name]), findingsText(fs))
		}
		if c.rule == "" {
			if HasErrors(fs) {
				t.Errorf("%s: %s", c.name, findingsText(fs))
			}
			continue
		}
		found := false
		for _, f := range fs {
			if f.Rule == c.rule && f.Severity == Error && strings.Contains(f.Message, c.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want [%s] with %q, got %s", c.name, c.rule, c.msg, findingsText(fs))
		}
	}
}
