package task

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"sync"

	"github.com/rallyforge/rallyforge/internal/pyschema"
	"go.yaml.in/yaml/v3"
)

// SyntaxError is rendered text that is not YAML (or JSON).
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

var yamlLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// ParseYAML parses the rendered task into its document node. Rally reads
// JSON tasks with yaml.safe_load too, so one parser serves both. An empty
// document gives a nil node and no error (Rally: "It is empty").
func ParseYAML(rendered []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(rendered))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		msg := err.Error()
		p := Pos{1, 1}
		if m := yamlLineRe().FindStringSubmatch(msg); m != nil {
			l, _ := strconv.Atoi(m[1])
			p, msg = Pos{l, 1}, m[2]
		}
		if l := firstBadLine(rendered); l > 0 {
			p = Pos{l, 1}
		}
		p.Col = firstCol(rendered, p.Line)
		return nil, &SyntaxError{Pos: p, Msg: "invalid YAML: " + msg}
	}
	// safe_load refuses a stream with more than one document.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &SyntaxError{Pos: pos(&extra), Msg: "invalid YAML: expected a single document in the stream"}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if !hasAlias(root) {
		if se := pyYAML(root, false); se != nil {
			return nil, se
		}
		return root, nil
	}
	// Aliases make the document a graph whose tree (what PyYAML's objects
	// are to jsonschema, and what every rule walks) can be exponentially
	// larger than the file ("billion laughs"); refuse that as yaml.v3 does
	// when decoding to values, before anything walks it.
	if expandedSize(root, map[*yaml.Node]int{}, maxExpanded(root)) > maxExpanded(root) {
		return nil, &SyntaxError{Pos: pos(root), Msg: "invalid YAML: document contains excessive aliasing"}
	}
	resolveAliases(root, map[*yaml.Node]bool{})
	if se := pyYAML(root, true); se != nil {
		return nil, se
	}
	return root, nil
}

// hasAlias: without aliases the document is a tree (most tasks), with
// nothing to measure, resolve or fix twice.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// resolveAliases replaces alias nodes by their targets so that rules see
// plain trees (sharing nodes); each node is visited once.
func resolveAliases(n *yaml.Node, seen map[*yaml.Node]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode && c.Alias != nil {
			n.Content[i] = c.Alias
		}
		resolveAliases(n.Content[i], seen)
	}
}

// maxExpanded is how many nodes the document may have once aliases are
// expanded: ten times its own nodes plus 100,000, far beyond what shared
// contexts or runners in a real task make, far below a bomb.
func maxExpanded(root *yaml.Node) int {
	distinct := 0
	var count func(n *yaml.Node, seen map[*yaml.Node]bool)
	count = func(n *yaml.Node, seen map[*yaml.Node]bool) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		distinct++
		for _, c := range n.Content {
			count(c, seen)
		}
		count(n.Alias, seen)
	}
	count(root, map[*yaml.Node]bool{})
	return 100_000 + 10*distinct
}

// expandedSize is the node count of n's tree with aliases expanded,
// memoised per node and saturating just above limit.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, limit int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = limit + 1 // an alias cycle counts as too large
	size := 1
	if n.Kind == yaml.AliasNode {
		size = expandedSize(n.Alias, memo, limit)
	}
	for _, c := range n.Content {
		if size += expandedSize(c, memo, limit); size > limit {
			size = limit + 1
			break
		}
	}
	memo[n] = size
	return size
}

// Version is the task format version as Rally reads it: str(config.get(
// "version", 1)).
func Version(root *yaml.Node) string {
	_, v := Get(root, "version")
	if v == nil {
		return "1"
	}
	return PyStr(Value(v), v.Value)
}

// PyStr is Python's str() of a scalar built by Value (raw for anything
// else): 0x2 is "2", true is "True", null is "None", 2.0 is "2.0".
func PyStr(v any, raw string) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case *big.Int:
		return x.String()
	case float64:
		return pyschema.FloatRepr(x)
	}
	return raw
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

// Value converts a node into plain JSON-like Go values (map[string]any,
// []any, string, bool, nil, json numbers as float64 or int64) for JSON
// Schema validation, following YAML's resolved tags.
func Value(n *yaml.Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return Value(n.Content[0])
		}
		return nil
	case yaml.AliasNode:
		return Value(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = Value(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			l = append(l, Value(c))
		}
		return l
	}
	// Scalars as PyYAML constructs them (ParseYAML tagged plain ones by
	// its resolvers); decimal ints without a leading zero (octal to
	// PyYAML) take the fast path. Other tags (!!binary, …) fall through.
	if n.Tag == "!!int" && n.Value != "" && n.Value[0] != '0' && n.Value[0] != '+' && n.Value[0] != '-' {
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			return i
		}
	}
	if v, ok := pyScalar(n.Tag, n.Value); ok {
		return v
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	switch x := v.(type) {
	case int:
		return int64(x)
	case uint64:
		return float64(x)
	}
	return v
}

// firstBadLine finds the line that makes the text invalid: the parser
// names the start of the enclosing block, PyYAML (and people) expect the
// offending line. The shortest failing prefix, by bisection, is that line
// (block YAML cut at a line end stays valid); 0 when not found.
func firstBadLine(text []byte) int {
	lines := bytes.SplitAfter(text, []byte("\n"))
	fails := func(n int) bool {
		var v yaml.Node
		prefix := bytes.Join(lines[:n], nil)
		// Close the flow collections ({ [) the cut left open, so that a
		// prefix fails only for what it contains (JSON tasks are flow).
		return yaml.Unmarshal(append(prefix, closers(prefix)...), &v) != nil
	}
	if len(lines) == 0 || !fails(len(lines)) {
		return 0
	}
	lo, hi := 0, len(lines) // fails(hi) is true; fails(lo) taken as false
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

func firstCol(text []byte, line int) int {
	lines := bytes.Split(text, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	return len(l) - len(bytes.TrimLeft(l, " \t")) + 1
}

// closers returns the brackets that close the flow collections text
// leaves open (quotes and comments skipped, roughly).
func closers(text []byte) []byte {
	var stack []byte
	var quote byte
	comment := false
	for i, c := range text {
		switch {
		case comment:
			comment = c != '\n'
		case quote != 0:
			if c == quote && (quote == '\'' || i == 0 || text[i-1] != '\\') {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\n'):
			comment = true
		case c == '{':
			stack = append(stack, '}')
		case c == '[':
			stack = append(stack, ']')
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	out := []byte{'\n'}
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, stack[i])
	}
	return out
}
