package lint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py/jsonschema"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// compile turns a plugin's JSON Schema into a validator, cached by text.
// The draft is the one Python's jsonschema.validate picks from "$schema",
// as Rally's jsonschema validator calls it. A schema that does not compile
// is treated as absent (the catalog is generated from real plugins; Rally
// would have refused to load them).
func (l *Linter) compile(raw []byte) *jsonschema.Schema {
	l.schemaMu.Lock()
	defer l.schemaMu.Unlock()
	// Looked up without copying the text (every workload asks again).
	if s, ok := l.schemas[string(raw)]; ok {
		return s
	}
	// The catalog's schemas and the task format's are checked against
	// their metaschemas by tests (TestSchemasPassCheckSchema), not per run.
	s, _ := jsonschema.CompileTrusted(raw) // nil on error
	l.schemas[string(raw)] = s
	return s
}

// problem is one schema violation at a node.
type problem struct {
	pos task.Pos
	msg string
}

// validate checks node against the schema; each leaf violation is placed
// at the deepest node its instance location reaches. Messages are Python
// jsonschema's, as Rally prints them.
func validate(s *jsonschema.Schema, n *yaml.Node, at task.Pos) []problem {
	if s == nil {
		return nil
	}
	errs := s.Validate(pyyaml.Value(n))
	var out []problem
	var walk func(e *jsonschema.Error)
	walk = func(e *jsonschema.Error) {
		if (e.Keyword == "oneOf" || e.Keyword == "anyOf") && len(e.Causes) > 1 {
			// Report the alternative the value came closest to: the one
			// whose failures reach deepest into the value.
			best := e.Causes[0]
			for _, c := range e.Causes[1:] {
				if d, bd := depth(c), depth(best); d > bd || (d == bd && leaves(c) < leaves(best)) {
					best = c
				}
			}
			walk(best)
			return
		}
		if len(e.Causes) == 0 {
			p := at
			if n != nil {
				p = locate(n, e.Path)
			}
			msg := e.Message
			if len(e.Path) > 0 {
				msg = "at " + strings.Join(e.Path, ".") + ": " + msg
			}
			out = append(out, problem{p, msg})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	for _, e := range errs {
		walk(e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos.Line < out[j].pos.Line })
	return out
}

// depth is the deepest instance location among an error's leaves.
func depth(e *jsonschema.Error) int {
	if len(e.Causes) == 0 {
		return len(e.Path)
	}
	d := 0
	for _, c := range e.Causes {
		d = max(d, depth(c))
	}
	return d
}

func leaves(e *jsonschema.Error) int {
	if len(e.Causes) == 0 {
		return 1
	}
	n := 0
	for _, c := range e.Causes {
		n += leaves(c)
	}
	return n
}

// locate follows a JSON pointer's tokens through the node tree; a key's
// position is the key itself.
func locate(n *yaml.Node, path []string) task.Pos {
	cur := n
	p := task.PosOf(n)
	for _, tok := range path {
		switch cur.Kind {
		case yaml.MappingNode:
			k, v := task.Get(cur, tok)
			if k == nil {
				return p
			}
			p, cur = task.PosOf(k), v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.Content) {
				return p
			}
			cur = cur.Content[i]
			p = task.PosOf(cur)
		default:
			return p
		}
	}
	return p
}

func mustSchema(js string) *jsonschema.Schema {
	s, _ := jsonschema.CompileTrusted([]byte(js))
	if s == nil {
		panic(fmt.Sprintf("lint: built-in schema does not compile: %.80s", js))
	}
	return s
}

// roundTrip turns decoded JSON (catalog data: float64 numbers) into the
// shapes jsonValue expects.
func roundTrip(v any) any {
	switch x := v.(type) {
	case catalog.Object:
		return roundTrip(x.Map())
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = roundTrip(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = roundTrip(e)
		}
		return l
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	}
	return v
}
