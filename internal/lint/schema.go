package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/task"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*jsonschema.Schema{}
	printer     = message.NewPrinter(language.English)
)

// compile turns a plugin's JSON Schema into a validator, cached by text.
// A schema that does not compile is treated as absent (the catalog is
// generated from real plugins; Rally would have refused to load them).
func compile(raw []byte) *jsonschema.Schema {
	key := string(raw)
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[key]; ok {
		return s
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	var s *jsonschema.Schema
	if err == nil {
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		if m, ok := doc.(map[string]any); ok {
			// Rally uses jsonschema's draft-4 validator whatever $schema says.
			delete(m, "$schema")
		}
		if c.AddResource("schema.json", doc) == nil {
			s, _ = c.Compile("schema.json")
		}
	}
	schemaCache[key] = s
	return s
}

// problem is one schema violation at a node.
type problem struct {
	pos task.Pos
	msg string
}

// validate checks node against the schema; each leaf violation is placed
// at the deepest node its instance location reaches.
func validate(s *jsonschema.Schema, n *yaml.Node, at task.Pos) []problem {
	if s == nil {
		return nil
	}
	err := s.Validate(jsonValue(task.Value(n)))
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []problem{{at, err.Error()}}
	}
	var out []problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		switch k := e.ErrorKind.(type) {
		case *kind.OneOf, *kind.AnyOf:
			// Report the alternative the value came closest to: the
			// one whose failures reach deepest into the value.
			if len(e.Causes) > 1 {
				best := e.Causes[0]
				for _, c := range e.Causes[1:] {
					if d, bd := depth(c), depth(best); d > bd || (d == bd && leaves(c) < leaves(best)) {
						best = c
					}
				}
				walk(best)
				return
			}
		case *kind.AdditionalProperties:
			sort.Strings(k.Properties) // map order; messages must be stable
		case *kind.Required:
			sort.Strings(k.Missing)
		}
		if len(e.Causes) == 0 {
			p := at
			if n != nil {
				p = locate(n, e.InstanceLocation)
			}
			msg := e.ErrorKind.LocalizedString(printer)
			if len(e.InstanceLocation) > 0 {
				msg = "at " + strings.Join(e.InstanceLocation, ".") + ": " + msg
			}
			out = append(out, problem{p, msg})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos.Line < out[j].pos.Line })
	return out
}

// depth is the deepest instance location among an error's leaves.
func depth(e *jsonschema.ValidationError) int {
	if len(e.Causes) == 0 {
		return len(e.InstanceLocation)
	}
	d := 0
	for _, c := range e.Causes {
		d = max(d, depth(c))
	}
	return d
}

func leaves(e *jsonschema.ValidationError) int {
	if len(e.Causes) == 0 {
		return 1
	}
	n := 0
	for _, c := range e.Causes {
		n += leaves(c)
	}
	return n
}

// jsonValue makes YAML ints JSON numbers the schema library understands.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return v
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
	s := compile([]byte(js))
	if s == nil {
		panic(fmt.Sprintf("lint: built-in schema does not compile: %.80s", js))
	}
	return s
}

// roundTrip turns decoded JSON (catalog data: float64 numbers) into the
// shapes jsonValue expects.
func roundTrip(v any) any {
	switch x := v.(type) {
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
