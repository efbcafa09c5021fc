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
