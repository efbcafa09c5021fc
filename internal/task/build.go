package task

import (
	"errors"
	"fmt"

	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"go.yaml.in/yaml/v3"
)

// Version is the task format version as Rally reads it: str(config.get(
// "version", 1)).
func Version(root *yaml.Node) string {
	_, v := Get(root, "version")
	if v == nil {
		return "1"
	}
	return pyyaml.Str(v)
}

// Build brings a schema-valid document into the v2 model. It tolerates any
// shape (never panics); callers check the schema first for messages.
func Build(root *yaml.Node) (*Task, error) {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, errors.New("task is not a mapping")
	}
	t := &Task{Root: root}
	switch Version(root) {
	case "1":
		t.Version = 1
		t.Title = "Task (adopted from task format v1)"
		for _, k := range Keys(root) {
			_, list := Get(root, k.Value)
			st := &Subtask{Title: k.Value, Pos: pos(k)}
			for _, w := range seq(list) {
				wl := &Workload{Pos: pos(w), Scenario: Entry{Name: k.Value, NamePos: pos(k)}}
				_, wl.Scenario.Config = Get(w, "args")
				if rk, r := Get(w, "runner"); r != nil {
					_, typ := Get(r, "type")
					e := &Entry{NamePos: pos(rk), Config: withoutKey(r, "type")}
					if typ != nil {
						e.Name, e.NamePos = typ.Value, pos(typ)
					}
					wl.Runner = e
				}
				_, ctx := Get(w, "context")
				wl.Contexts = entries(ctx)
				_, wl.SLANode = Get(w, "sla")
				wl.SLA = entries(wl.SLANode)
				_, hooks := Get(w, "hooks")
				for _, h := range seq(hooks) {
					var hk Hook
					nk, name := Get(h, "name")
					_, args := Get(h, "args")
					if name != nil {
						hk.Action = Entry{Name: name.Value, NamePos: pos(name), Config: args}
					} else {
						hk.Action = Entry{NamePos: pos(nk)}
					}
					_, tr := Get(h, "trigger")
					_, tn := Get(tr, "name")
					_, ta := Get(tr, "args")
					if tn != nil {
						hk.Trigger = Entry{Name: tn.Value, NamePos: pos(tn), Config: ta}
					}
					wl.Hooks = append(wl.Hooks, hk)
				}
				st.Workloads = append(st.Workloads, wl)
			}
			t.Subtasks = append(t.Subtasks, st)
		}
	case "2":
		t.Version = 2
		if _, v := Get(root, "title"); v != nil {
			t.Title = v.Value
		}
		_, subs := Get(root, "subtasks")
		for _, s := range seq(subs) {
			st := &Subtask{Pos: pos(s)}
			if _, v := Get(s, "title"); v != nil {
				st.Title = v.Value
			}
			if _, wls := Get(s, "workloads"); wls != nil {
				for _, w := range seq(wls) {
					st.Workloads = append(st.Workloads, workloadV2(w))
				}
			} else {
				st.Workloads = append(st.Workloads, workloadV2(s))
			}
			t.Subtasks = append(t.Subtasks, st)
		}
	default:
		return nil, fmt.Errorf("task configuration version %s is not supported", Version(root))
	}
	return t, nil
}

func workloadV2(w *yaml.Node) *Workload {
	wl := &Workload{Pos: pos(w)}
	_, sc := Get(w, "scenario")
	wl.Scenario = single(sc)
	if _, r := Get(w, "runner"); r != nil {
		e := single(r)
		wl.Runner = &e
	}
	_, ctx := Get(w, "contexts")
	wl.Contexts = entries(ctx)
	_, wl.SLANode = Get(w, "sla")
	wl.SLA = entries(wl.SLANode)
	_, hooks := Get(w, "hooks")
	for _, h := range seq(hooks) {
		_, a := Get(h, "action")
		_, tr := Get(h, "trigger")
		wl.Hooks = append(wl.Hooks, Hook{Action: single(a), Trigger: single(tr)})
	}
	return wl
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// withoutKey copies a mapping without one key (v1 runner minus "type").
func withoutKey(m *yaml.Node, key string) *yaml.Node {
	c := *m
	c.Content = nil
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			c.Content = append(c.Content, m.Content[i], m.Content[i+1])
		}
	}
	return &c
}
