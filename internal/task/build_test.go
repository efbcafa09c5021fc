package task

import (
	"os"
	"reflect"
	"testing"

	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
)

// v1 becomes the v2 model: scenario per key, runner type, context, hooks.
func TestBuildV1(t *testing.T) {
	src := `---
Dummy.dummy:
  - args: {sleep: 1}
    runner: {type: constant, times: 3}
    context: {users: {tenants: 1}}
    sla: {failure_rate: {max: 0}}
    hooks:
      - name: sys_call
        args: "echo"
        trigger: {name: event, args: {unit: iteration, at: [1]}}
`
	root, err := pyyaml.Load([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := Build(root)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Version != 1 || len(tk.Subtasks) != 1 || len(tk.Subtasks[0].Workloads) != 1 {
		t.Fatalf("got %+v", tk)
	}
	w := tk.Subtasks[0].Workloads[0]
	if w.Scenario.Name != "Dummy.dummy" || w.Runner.Name != "constant" || w.Runner.NamePos != (Pos{Line: 4, Col: 20}) {
		t.Errorf("scenario/runner: %+v %+v", w.Scenario, w.Runner)
	}
	if rv := pyyaml.Value(w.Runner.Config).(map[string]any); !reflect.DeepEqual(rv, map[string]any{"times": int64(3)}) {
		t.Errorf("runner config without type: %v", rv)
	}
	if len(w.Contexts) != 1 || w.Contexts[0].Name != "users" || len(w.SLA) != 1 {
		t.Errorf("contexts/sla: %+v %+v", w.Contexts, w.SLA)
	}
	if len(w.Hooks) != 1 || w.Hooks[0].Action.Name != "sys_call" || w.Hooks[0].Trigger.Name != "event" {
		t.Errorf("hooks: %+v", w.Hooks)
	}
}

func TestArgsOverride(t *testing.T) {
	f := t.TempDir() + "/args.yaml"
	if err := os.WriteFile(f, []byte("a: 1\nb: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Args(`{"b": "y"}`, f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]any{"a": 1, "b": "y"}) {
		t.Errorf("got %v", got)
	}
	if _, err := Args("[1, 2]", ""); err == nil {
		t.Error("a list accepted as task args")
	}
}
