package task

import (
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"go.yaml.in/yaml/v3"
)

// Pos is a 1-based line:column in the task file, as the loader reports it.
type Pos = pyyaml.Pos

// Task is a task in the v2 model, whatever format it was written in.
type Task struct {
	Version  int // 1 or 2, as written
	Title    string
	Subtasks []*Subtask
	Root     *yaml.Node // the document's top node
}

// Subtask is one v2 subtask (one scenario name in v1).
type Subtask struct {
	Title     string
	Pos       Pos
	Workloads []*Workload
}

// Entry is a named plugin configuration: {name: config}.
type Entry struct {
	Name    string
	NamePos Pos        // position of the plugin name
	Config  *yaml.Node // its configuration (nil when absent)
}

// Workload is one scenario run.
type Workload struct {
	Pos      Pos
	Scenario Entry  // Config holds the scenario arguments (may be nil)
	Runner   *Entry // nil when the task has none (Rally uses serial)
	Contexts []Entry
	SLA      []Entry
	SLANode  *yaml.Node // nil when the task has no sla (Rally adds failure_rate max 0)
	Hooks    []Hook
}

// Hook is a hook's action and trigger.
type Hook struct {
	Action  Entry
	Trigger Entry
}

func pos(n *yaml.Node) Pos { return pyyaml.PosOf(n) }

// PosOf is the position of a node.
func PosOf(n *yaml.Node) Pos { return pos(n) }

// Get returns the key and value nodes of a mapping entry.
func Get(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// Keys lists a mapping's key nodes in order.
func Keys(m *yaml.Node) []*yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 0; i < len(m.Content); i += 2 {
		out = append(out, m.Content[i])
	}
	return out
}

func entries(m *yaml.Node) []Entry {
	var out []Entry
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, Entry{Name: m.Content[i].Value, NamePos: pos(m.Content[i]), Config: m.Content[i+1]})
	}
	return out
}

func single(m *yaml.Node) Entry {
	if e := entries(m); len(e) > 0 {
		return e[0]
	}
	return Entry{NamePos: pos(m)}
}
