package task

import (
	"fmt"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
)

// Args merges template arguments as `rally task start` does: the file
// (--task-args-file) first, then the inline text (--task-args) on top.
// Both are JSON or YAML mappings.
func Args(inline, file string) (map[string]any, error) {
	out := map[string]any{}
	if file != "" {
		b, err := fsutil.ReadRegular(file, 0)
		if err != nil {
			return nil, fmt.Errorf("--task-args-file: %v", err)
		}
		m, err := argsMap(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	if inline != "" {
		m, err := argsMap([]byte(inline))
		if err != nil {
			return nil, fmt.Errorf("--task-args: %v", err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

func argsMap(b []byte) (map[string]any, error) {
	// pyyaml.Load, as for tasks: aliases are expanded only up to a bound
	// (a "billion laughs" in --task-args took 16.8 GB), and scalars
	// resolve as PyYAML resolves them.
	root, err := pyyaml.Load(b)
	if err != nil {
		return nil, fmt.Errorf("not JSON or YAML: %v", err)
	}
	if root == nil {
		return map[string]any{}, nil
	}
	m, ok := pyyaml.Value(root).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("task arguments must be a mapping")
	}
	// gonja compares ints as int; give it plain Go ints.
	for k, v := range m {
		if i, ok := v.(int64); ok {
			m[k] = int(i)
		}
	}
	return m, nil
}
