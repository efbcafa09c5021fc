// Package yaml loads task text as PyYAML's safe_load does (Rally reads
// YAML and JSON tasks with it), keeping yaml.v3's nodes for positions:
// Load parses and re-resolves plain scalars by YAML 1.1, Value builds the
// Python value of a node, Str its str().
package yaml

import (
	"bytes"
	"math/big"
	"regexp"
	"strconv"
	"sync"

	"github.com/rallyforge/rallyforge/internal/py"
	"go.yaml.in/yaml/v3"
)

// Pos is a 1-based line:column in the loaded text.
type Pos struct{ Line, Col int }

// PosOf is the position of a node (1:1 for none).
func PosOf(n *yaml.Node) Pos {
	if n == nil {
		return Pos{1, 1}
	}
	return Pos{n.Line, n.Column}
}

// SyntaxError is rendered text that is not YAML (or JSON).
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

var yamlLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// Load parses the rendered task into its document node. Rally reads
// JSON tasks with yaml.safe_load too, so one parser serves both. An empty
// document gives a nil node and no error (Rally: "It is empty").
func Load(rendered []byte) (*yaml.Node, error) {
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
		return nil, &SyntaxError{Pos: PosOf(&extra), Msg: "invalid YAML: expected a single document in the stream"}
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
		return nil, &SyntaxError{Pos: PosOf(root), Msg: "invalid YAML: document contains excessive aliasing"}
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
	// Scalars as PyYAML constructs them (Load tagged plain ones by
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

// Str is Python's str() of a scalar as PyYAML constructs it: 0x2 is "2",
// true is "True", null is "None", 2.0 is "2.0"; anything else (a
// timestamp, a !!binary, a collection) is the node's text.
func Str(n *yaml.Node) string {
	switch v := Value(n).(type) {
	case nil, bool, string, int64, *big.Int, float64:
		return py.Str(v)
	}
	return n.Value
}
