package jsonschema

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/py"
)

// node is a parsed JSON value that keeps what Python's json.loads keeps
// and encoding/json loses: the order of object keys (Python reprs of
// schemas in "is valid under each of" and enum messages print them in
// document order) and whether a number was written as an integer (1 is a
// Python int, 1.0 a float; minimum's message prints the one it was given).
type node struct {
	kind py.Kind
	b    bool
	n    py.Num
	s    string
	arr  []*node
	keys []string // object keys in first-occurrence order
	vals []*node  // values; a repeated key keeps its first place and last value, as in Python

	compiled *sch // set by the compiler, so that $ref cycles and shared subschemas compile once
}

// get returns an object member.
func (n *node) get(key string) (*node, bool) {
	if n.kind != py.DictKind {
		return nil, false
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i], true
		}
	}
	return nil, false
}

// truthy is Python's bool() of the decoded value: Draft4Validator reads
// exclusiveMinimum, uniqueItems, additionalProperties and additionalItems
// with plain truth tests.
func (n *node) truthy() bool {
	switch n.kind {
	case py.NoneKind:
		return false
	case py.BoolKind:
		return n.b
	case py.IntKind:
		return n.n.I != 0
	case py.FloatKind:
		return n.n.F != 0
	case py.StrKind:
		return n.s != ""
	case py.ListKind:
		return len(n.arr) > 0
	case py.DictKind:
		return len(n.keys) > 0
	}
	return false
}

// value converts the node to the Go form instances have, for equality
// checks (enum).
func (n *node) value() any {
	switch n.kind {
	case py.BoolKind:
		return n.b
	case py.IntKind:
		return n.n.I
	case py.FloatKind:
		return n.n.F
	case py.StrKind:
		return n.s
	case py.ListKind:
		l := make([]any, len(n.arr))
		for i, e := range n.arr {
			l[i] = e.value()
		}
		return l
	case py.DictKind:
		m := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			m[k] = n.vals[i].value()
		}
		return m
	}
	return nil
}

// maxNesting bounds the parser's recursion (encoding/json uses 10000;
// real schemas nest a dozen levels).
const maxNesting = 1000

type parser struct {
	data  []byte
	src   string // data as a string: escape-free strings are slices of it
	pos   int
	depth int
	// Nodes come from slabs, and object members and array elements are
	// gathered on shared stacks and copied out once at the right size:
	// Compile's cost is mostly allocation.
	slab []node
	keys []string
	vals []*node
	// keySlab and valSlab hold the final member slices, carved out.
	keySlab []string
	valSlab []*node
}

func (p *parser) carveKeys(from []string) []string {
	if len(p.keySlab)+len(from) > cap(p.keySlab) {
		p.keySlab = make([]string, 0, max(len(from), min(len(p.data)/32, 256), 16))
	}
	start := len(p.keySlab)
	p.keySlab = append(p.keySlab, from...)
	return p.keySlab[start:len(p.keySlab):len(p.keySlab)]
}

func (p *parser) carveVals(from []*node) []*node {
	if len(p.valSlab)+len(from) > cap(p.valSlab) {
		p.valSlab = make([]*node, 0, max(len(from), min(len(p.data)/24, 256), 16))
	}
	start := len(p.valSlab)
	p.valSlab = append(p.valSlab, from...)
	return p.valSlab[start:len(p.valSlab):len(p.valSlab)]
}

func (p *parser) node(n node) *node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]node, 0, min(max(len(p.data)/24, 16), 512))
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

// parseJSON parses one JSON document with Python json.loads' number rules
// (integer literal → int, anything with a fraction or exponent → float).
// Integers beyond int64 are refused: Python would keep them exact and Go
// cannot without big numbers, which no schema needs.
func parseJSON(data []byte) (*node, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("invalid UTF-8")
	}
	p := &parser{data: data, src: string(data)}
	p.ws()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(p.data) {
		return nil, p.errf("extra data after the document")
	}
	return n, nil
}

func (p *parser) errf(format string, args ...any) error {
	line, col := 1, 1
	for _, c := range p.data[:min(p.pos, len(p.data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d column %d: %s", line, col, fmt.Sprintf(format, args...))
}

func (p *parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (*node, error) {
	if p.pos >= len(p.data) {
		return nil, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return p.node(node{kind: py.StrKind, s: s}), nil
	case c == 't':
		return p.lit("true", node{kind: py.BoolKind, b: true})
	case c == 'f':
		return p.lit("false", node{kind: py.BoolKind})
	case c == 'n':
		return p.lit("null", node{kind: py.NoneKind})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.errf("unexpected character %q", p.data[p.pos])
}

func (p *parser) lit(word string, n node) (*node, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return nil, p.errf("invalid literal")
	}
	p.pos += len(word)
	return p.node(n), nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxNesting {
		return p.errf("nested more than %d levels", maxNesting)
	}
	return nil
}

func (p *parser) object() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++                            // {
	kb, vb := len(p.keys), len(p.vals) // arrays use vals alone: separate bases
	defer func() { p.keys, p.vals = p.keys[:kb], p.vals[:vb] }()
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return p.node(node{kind: py.DictKind}), nil
	}
	for {
		p.ws()
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		dup := false
		for i := kb; i < len(p.keys); i++ {
			if p.keys[i] == k {
				p.vals[vb+i-kb], dup = v, true
				break
			}
		}
		if !dup {
			p.keys = append(p.keys, k)
			p.vals = append(p.vals, v)
		}
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unterminated object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return p.node(node{kind: py.DictKind,
				keys: p.carveKeys(p.keys[kb:]),
				vals: p.carveVals(p.vals[vb:])}), nil
		default:
			return nil, p.errf("expected ',' or '}'")
		}
	}
}

func (p *parser) array() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	base := len(p.vals)
	defer func() { p.vals = p.vals[:base] }()
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return p.node(node{kind: py.ListKind}), nil
	}
	for {
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.vals = append(p.vals, v)
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unterminated array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return p.node(node{kind: py.ListKind, arr: p.carveVals(p.vals[base:])}), nil
		default:
			return nil, p.errf("expected ',' or ']'")
		}
	}
}

func (p *parser) number() (*node, error) {
	start := p.pos
	isFloat := false
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.errf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		isFloat = true
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		isFloat = true
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	text := string(p.data[start:p.pos])
	if !isFloat {
		i, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, p.errf("integer %s out of range", text)
		}
		return p.node(node{kind: py.IntKind, n: py.Num{IsInt: true, I: i}}), nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) { // Python also turns 1e400 into inf
		return nil, p.errf("invalid number %s", text)
	}
	return p.node(node{kind: py.FloatKind, n: py.Num{F: f}}), nil
}

// parseObjectMembers parses a document that is one object, building
// nodes only for the members keep accepts; the others are scanned over.
func parseObjectMembers(data []byte, keep func(key string) bool) (*node, error) {
	p := &parser{data: data, src: string(data)}
	p.ws()
	if p.pos >= len(p.data) || p.data[p.pos] != '{' {
		return nil, p.errf("expected an object")
	}
	p.pos++
	out := &node{kind: py.DictKind}
	for {
		p.ws()
		if p.pos < len(p.data) && p.data[p.pos] == '}' && len(out.keys) == 0 {
			p.pos++
			return out, nil
		}
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		if keep(k) {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, v)
		} else if err := p.skip(); err != nil {
			return nil, err
		}
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unterminated object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return out, nil
		default:
			return nil, p.errf("expected ',' or '}'")
		}
	}
}

// skip scans over one value of well-formed JSON (trusted, embedded text).
func (p *parser) skip() error {
	depth := 0
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; c {
		case '"':
			if _, err := p.str(); err != nil {
				return err
			}
			if depth == 0 {
				return nil
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				p.pos++
				return nil
			}
		case ',':
			if depth == 0 {
				return nil
			}
		}
		p.pos++
	}
	return p.errf("unterminated value")
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (p *parser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.src[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(p.data[p.pos:])
			if !ok {
				return "", p.errf("invalid \\u escape")
			}
			p.pos += 4
			if utf16.IsSurrogate(r) {
				// A pair makes one code point; a lone surrogate (which
				// Python keeps) cannot live in a Go string.
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					if r2, ok := hex4(p.data[p.pos+2:]); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							p.pos += 6
							r = d
						}
					}
				}
				if utf16.IsSurrogate(r) {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errf("invalid escape %q", "\\"+string(rune(e)))
		}
	}
	return "", p.errf("unterminated string")
}

// key reads an object member's key and its ':' (and the blanks after).
func (p *parser) key() (string, error) {
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return "", p.errf("expected a string key")
	}
	k, err := p.str()
	if err != nil {
		return "", err
	}
	p.ws()
	if p.pos >= len(p.data) || p.data[p.pos] != ':' {
		return "", p.errf("expected ':'")
	}
	p.pos++
	p.ws()
	return k, nil
}
