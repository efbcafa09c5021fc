package lint

import (
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// The task format's schemas (schemaV1, subtaskV2Simple, subtaskV2Complex)
// hold for almost every real task. Compiling one with py/jsonschema and
// converting the tree to Python values costs about a third of a
// millisecond, a visible part of a one-file run; these checks answer
// "certainly valid" straight from the tree, in the schemas' own terms
// (JSON Schema types of the values PyYAML builds). Whatever they are not
// sure of (hooks, unusual scalars) returns false and the schema itself
// judges, with Python's messages. TestSchemaFastPathSound holds them to
// py/jsonschema on the corpus and on random mutants: never valid where the
// schema finds a problem.

// v1Valid: schemaV1 — a mapping of scenario names to lists of workloads.
func v1Valid(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	for i := 1; i < len(root.Content); i += 2 {
		wls := root.Content[i]
		if wls.Kind != yaml.SequenceNode {
			return false
		}
		for _, wl := range wls.Content {
			if !workloadValid(wl, false) {
				return false
			}
		}
	}
	return true
}

// workloadValid: a v1 workload (args, context, runner with a type), or
// (v2) a workload of a complex subtask (scenario, contexts, single-key
// runner).
func workloadValid(wl *yaml.Node, v2 bool) bool {
	if wl.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(wl.Content); i += 2 {
		k, v := wl.Content[i].Value, wl.Content[i+1]
		switch k {
		case "args", "context":
			if v2 || v.Kind != yaml.MappingNode {
				return false
			}
		case "contexts":
			if !v2 || v.Kind != yaml.MappingNode {
				return false
			}
		case "sla":
			if v.Kind != yaml.MappingNode {
				return false
			}
		case "description":
			if !isStr(v) {
				return false
			}
		case "runner":
			if v2 {
				if !singleKey(v) {
					return false
				}
			} else if !v1Runner(v) {
				return false
			}
		case "scenario":
			if !v2 || !singleKey(v) {
				return false
			}
		default: // hooks, unknown keys: left to the schema
			return false
		}
	}
	return !v2 || has(wl, "scenario")
}

// v1Runner: an object whose "type" is present and a string.
func v1Runner(v *yaml.Node) bool {
	_, t := task.Get(v, "type")
	return t != nil && isStr(t)
}

// v2SubtaskValid: subtaskV2Complex when the subtask has "workloads",
// else subtaskV2Simple (as ruleSchema picks).
func v2SubtaskValid(s *yaml.Node, complex bool) bool {
	if s.Kind != yaml.MappingNode {
		return false
	}
	if !complex {
		for i := 0; i+1 < len(s.Content); i += 2 {
			k, v := s.Content[i].Value, s.Content[i+1]
			switch k {
			case "title":
				if !isStr(v) || utf8.RuneCountInString(v.Value) > 128 {
					return false
				}
			case "group", "description":
				if !isStr(v) {
					return false
				}
			case "tags":
				if !tagsValid(v) {
					return false
				}
			case "scenario", "runner":
				if !singleKey(v) {
					return false
				}
			case "sla", "contexts":
				if v.Kind != yaml.MappingNode {
					return false
				}
			default: // hooks, unknown keys: left to the schema
				return false
			}
		}
		return has(s, "title") && has(s, "scenario")
	}
	for i := 0; i+1 < len(s.Content); i += 2 {
		k, v := s.Content[i].Value, s.Content[i+1]
		switch k {
		case "title", "group", "description":
			if !isStr(v) {
				return false
			}
		case "tags":
			if !tagsValid(v) {
				return false
			}
		case "run_in_parallel":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return false
			}
		case "workloads":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				return false
			}
			for _, wl := range v.Content {
				if !workloadValid(wl, true) {
					return false
				}
			}
		default:
			return false
		}
	}
	return has(s, "title") && has(s, "workloads")
}

// isStr: a Python str (PyYAML builds one for a !!str scalar only).
func isStr(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!str" }

// singleKey: the schemas' single-key object whose value is an object.
func singleKey(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[1].Kind == yaml.MappingNode
}

func tagsValid(n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode {
		return false
	}
	for _, t := range n.Content {
		if !isStr(t) || utf8.RuneCountInString(t.Value) > 255 {
			return false
		}
	}
	return true
}

func has(m *yaml.Node, key string) bool {
	k, _ := task.Get(m, key)
	return k != nil
}
