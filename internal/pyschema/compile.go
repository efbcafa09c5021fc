package pyschema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// opKind is a draft-4 keyword Draft4Validator implements.
type opKind uint8

const (
	opType opKind = iota
	opEnum
	opMinimum
	opMaximum
	opMultipleOf
	opMinLength
	opMaxLength
	opPattern
	opItems
	opAdditionalItems
	opMinItems
	opMaxItems
	opUniqueItems
	opProperties
	opPatternProperties
	opAdditionalProperties
	opRequired
	opMinProperties
	opMaxProperties
	opDependencies
	opAllOf
	opAnyOf
	opOneOf
	opNot
	opRef
)

// keywordNames are the keywords in opKind order. Lookups go through a
// switch rather than a map so that the package has nothing to build at
// init time.
var keywordName = [...]string{
	opType: "type", opEnum: "enum", opMinimum: "minimum", opMaximum: "maximum",
	opMultipleOf: "multipleOf", opMinLength: "minLength", opMaxLength: "maxLength",
	opPattern: "pattern", opItems: "items", opAdditionalItems: "additionalItems",
	opMinItems: "minItems", opMaxItems: "maxItems", opUniqueItems: "uniqueItems",
	opProperties: "properties", opPatternProperties: "patternProperties",
	opAdditionalProperties: "additionalProperties", opRequired: "required",
	opMinProperties: "minProperties", opMaxProperties: "maxProperties",
	opDependencies: "dependencies", opAllOf: "allOf", opAnyOf: "anyOf",
	opOneOf: "oneOf", opNot: "not", opRef: "$ref",
}

func keyword(name string) (opKind, bool) {
	for k, n := range keywordName {
		if n == name {
			return opKind(k), true
		}
	}
	return 0, false
}

// sch is one compiled (sub)schema: a boolean schema, or the keywords
// Draft4Validator applies, in the document's key order (the order Python
// yields their errors in).
type sch struct {
	node    *node // the schema as written, for reprs in messages
	isBool  bool
	boolVal bool
	ops     []op
}

type op struct {
	kind opKind
	val  *node // the keyword's value as written

	n    num  // numeric limit
	excl bool // minimum/maximum: exclusiveMinimum/exclusiveMaximum is truthy

	typeMask   uint16 // 1<<kind accepted by "type"
	enum       []any
	re         *regexp.Regexp
	sub        *sch   // items (object form), additional*, not
	subs       []*sch // items (array form), allOf, anyOf, oneOf
	props      []prop // properties, patternProperties
	names      []string
	allow      bool // additional*: not a schema and truthy
	hasPats    bool // additionalProperties: the schema has patternProperties
	pats       []*regexp.Regexp
	patsReprs  string // sorted reprs of the patternProperties keys
	noPatMatch bool   // the patterns joined with "|" are "": none matches (Python's test is on the join)
	propSet    map[string]struct{}
	nItems     int // additionalItems: length of the items array
	deps       []dep
	ref        *refSlot
}

type prop struct {
	name string
	re   *regexp.Regexp
	s    *sch
}

type dep struct {
	name  string
	names []string // array form
	s     *sch     // schema form
}

type refSlot struct {
	ref    string
	from   *node // the schema holding the $ref, for errors
	target *sch
}

type compiler struct {
	doc     *node
	anchors int8 // whether the document has id/$id/$anchor/$dynamicAnchor keys: 0 unknown, 1 yes, -1 no
	rootID  string
	pending []*refSlot
}

func typeName(n *node) string {
	switch n.kind {
	case kNull:
		return "null"
	case kBool:
		return "boolean"
	case kInt:
		return "integer"
	case kFloat:
		return "number"
	case kString:
		return "string"
	case kArray:
		return "array"
	case kObject:
		return "object"
	}
	return "?"
}

func typeMask(name string) (uint16, bool) {
	switch name {
	case "array":
		return 1 << kArray, true
	case "boolean":
		return 1 << kBool, true
	case "integer":
		return 1 << kInt, true
	case "null":
		return 1 << kNull, true
	case "number":
		return 1<<kInt | 1<<kFloat, true
	case "object":
		return 1 << kObject, true
	case "string":
		return 1 << kString, true
	}
	return 0, false
}

func isNumber(n *node) bool { return n.kind == kInt || n.kind == kFloat }

// compile compiles n. scoped is true below a subschema whose "id" moved
// the resolution scope to another document. Error messages name the
// schema by its JSON pointer, worked out only when there is an error.
func (c *compiler) compile(n *node, scoped bool) (*sch, error) {
	if n.compiled != nil {
		return n.compiled, nil
	}
	switch n.kind {
	case kBool:
		// Python's iter_errors accepts True/False schemas in every draft.
		n.compiled = &sch{node: n, isBool: true, boolVal: n.b}
		return n.compiled, nil
	case kObject:
	default:
		return nil, fmt.Errorf("%s: a schema must be an object, not %s", c.at(n), typeName(n))
	}
	s := &sch{node: n}
	n.compiled = s
	if id, ok := n.get("id"); ok {
		switch {
		case id.kind == kString && id.s != "" && !strings.HasPrefix(id.s, "#") && n != c.doc:
			scoped = true
		case id.kind != kString && id.truthy():
			return nil, fmt.Errorf("%s/id: must be a string", c.at(n))
		}
	}
	if ref, ok := n.get("$ref"); ok {
		// Draft 4 ignores every keyword beside $ref.
		if ref.kind != kString {
			return nil, fmt.Errorf("%s/$ref: must be a string", c.at(n))
		}
		if scoped {
			return nil, fmt.Errorf("%s/$ref: a $ref under a subschema \"id\" naming another document is not supported", c.at(n))
		}
		slot := &refSlot{ref: ref.s, from: n}
		c.pending = append(c.pending, slot)
		s.ops = []op{{kind: opRef, val: ref, ref: slot}}
		return s, nil
	}
	nops := 0
	for _, key := range n.keys {
		if _, ok := keyword(key); ok {
			nops++
		}
	}
	s.ops = make([]op, 0, nops)
	for i, key := range n.keys {
		k, ok := keyword(key)
		if !ok {
			continue // unknown keywords, format, definitions, ...
		}
		v := n.vals[i]
		o := op{kind: k, val: v}
		var err error
		switch k {
		case opType:
			var names []*node
			switch v.kind {
			case kString:
				names = []*node{v}
			case kArray:
				names = v.arr
			default:
				return nil, mustBe(c.at(n)+"/"+key, "a string or an array of strings", v)
			}
			for _, t := range names {
				m, ok := typeMask(t.s)
				if t.kind != kString || !ok {
					return nil, fmt.Errorf("%s/%s: unknown type %s", c.at(n), key, reprN(t))
				}
				o.typeMask |= m
			}
		case opEnum:
			if v.kind != kArray {
				return nil, mustBe(c.at(n)+"/"+key, "an array", v)
			}
			for _, e := range v.arr {
				o.enum = append(o.enum, e.value())
			}
		case opMinimum, opMaximum:
			if !isNumber(v) {
				return nil, mustBe(c.at(n)+"/"+key, "a number", v)
			}
			o.n = v.n
			excl := "exclusiveMinimum"
			if k == opMaximum {
				excl = "exclusiveMaximum"
			}
			// Python: schema.get("exclusiveMinimum", False) as a truth
			// value, so a draft-6 style number 0 means inclusive.
			if e, ok := n.get(excl); ok {
				o.excl = e.truthy()
			}
		case opMultipleOf:
			if !isNumber(v) || !v.truthy() {
				return nil, fmt.Errorf("%s/%s: must be a non-zero number", c.at(n), key)
			}
			o.n = v.n
		case opMinLength, opMaxLength, opMinItems, opMaxItems, opMinProperties, opMaxProperties:
			if !isNumber(v) {
				return nil, mustBe(c.at(n)+"/"+key, "a number", v)
			}
			o.n = v.n
		case opPattern:
			if v.kind != kString {
				return nil, mustBe(c.at(n)+"/"+key, "a string", v)
			}
			if o.re, err = compilePattern(v.s); err != nil {
				return nil, fmt.Errorf("%s/%s: %v", c.at(n), key, err)
			}
		case opItems:
			switch v.kind {
			case kObject:
				if o.sub, err = c.compile(v, scoped); err != nil {
					return nil, err
				}
			case kArray:
				if o.subs, err = c.compileList(v, scoped); err != nil {
					return nil, err
				}
			default:
				return nil, mustBe(c.at(n)+"/"+key, "an object or an array", v)
			}
		case opAdditionalItems:
			items, ok := n.get("items")
			if !ok || items.kind == kObject {
				continue // Python returns before looking at additionalItems
			}
			if items.kind != kArray {
				return nil, fmt.Errorf("%s/items: must be an object or an array, not %s", c.at(n), typeName(items))
			}
			o.nItems = len(items.arr)
			if err := c.additional(&o, v, scoped); err != nil {
				return nil, err
			}
		case opUniqueItems:
			if !v.truthy() {
				continue
			}
		case opProperties, opPatternProperties:
			if v.kind != kObject {
				return nil, mustBe(c.at(n)+"/"+key, "an object", v)
			}
			for j, name := range v.keys {
				p := prop{name: name}
				if k == opPatternProperties {
					if p.re, err = compilePattern(name); err != nil {
						return nil, fmt.Errorf("%s/%s: %v", c.at(n), key, err)
					}
				}
				if p.s, err = c.compile(v.vals[j], scoped); err != nil {
					return nil, err
				}
				o.props = append(o.props, p)
			}
		case opAdditionalProperties:
			if err := c.additional(&o, v, scoped); err != nil {
				return nil, err
			}
			if props, ok := n.get("properties"); ok && props.kind == kObject {
				o.propSet = make(map[string]struct{}, len(props.keys))
				for _, name := range props.keys {
					o.propSet[name] = struct{}{}
				}
			}
			if pp, ok := n.get("patternProperties"); ok {
				o.hasPats = true
				if pp.kind != kObject {
					return nil, fmt.Errorf("%s/patternProperties: must be an object, not %s", c.at(n), typeName(pp))
				}
				keys := append([]string(nil), pp.keys...)
				o.noPatMatch = strings.Join(keys, "|") == ""
				for _, p := range keys {
					re, err := compilePattern(p)
					if err != nil {
						return nil, fmt.Errorf("%s/patternProperties: %v", c.at(n), err)
					}
					o.pats = append(o.pats, re)
				}
				sort.Strings(keys)
				reprs := make([]string, len(keys))
				for j, p := range keys {
					reprs[j] = repr(p)
				}
				o.patsReprs = strings.Join(reprs, ", ")
			}
		case opRequired:
			switch v.kind {
			case kArray:
				for _, e := range v.arr {
					if e.kind != kString {
						return nil, fmt.Errorf("%s/%s: must be an array of strings", c.at(n), key)
					}
					o.names = append(o.names, e.s)
				}
			case kString:
				// Python iterates the string: each character is required.
				for _, r := range v.s {
					o.names = append(o.names, string(r))
				}
			case kBool:
				// Draft 3's "required": true. Python only trips over it
				// (TypeError) for an object instance; Rally's schemas do
				// not have it on object schemas.
				continue
			default:
				return nil, mustBe(c.at(n)+"/"+key, "an array of strings", v)
			}
		case opDependencies:
			if v.kind != kObject {
				return nil, mustBe(c.at(n)+"/"+key, "an object", v)
			}
			for j, name := range v.keys {
				d := dep{name: name}
				dv := v.vals[j]
				if dv.kind == kArray {
					for _, e := range dv.arr {
						if e.kind != kString {
							return nil, fmt.Errorf("%s/%s/%s: must be an array of strings", c.at(n), key, escapePointer(name))
						}
						d.names = append(d.names, e.s)
					}
				} else if d.s, err = c.compile(dv, scoped); err != nil {
					return nil, err
				}
				o.deps = append(o.deps, d)
			}
		case opAllOf, opAnyOf, opOneOf:
			if v.kind != kArray {
				return nil, mustBe(c.at(n)+"/"+key, "an array", v)
			}
			if o.subs, err = c.compileList(v, scoped); err != nil {
				return nil, err
			}
		case opNot:
			if o.sub, err = c.compile(v, scoped); err != nil {
				return nil, err
			}
		}
		s.ops = append(s.ops, o)
	}
	return s, nil
}

// additional reads additionalItems/additionalProperties: a schema when it
// is an object, otherwise Python's truth value decides.
func mustBe(at, what string, v *node) error {
	return fmt.Errorf("%s: must be %s, not %s", at, what, typeName(v))
}

func (c *compiler) additional(o *op, v *node, scoped bool) error {
	if v.kind == kObject {
		var err error
		o.sub, err = c.compile(v, scoped)
		return err
	}
	o.allow = v.truthy()
	return nil
}

func (c *compiler) compileList(v *node, scoped bool) ([]*sch, error) {
	out := make([]*sch, len(v.arr))
	for i, e := range v.arr {
		s, err := c.compile(e, scoped)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// at is the JSON pointer of a node ("#/properties/a"), found by a walk
// from the root: it is only needed for error messages.
func (c *compiler) at(n *node) string {
	var path []string
	var find func(cur *node) bool
	find = func(cur *node) bool {
		if cur == n {
			return true
		}
		for i, v := range cur.vals {
			if find(v) {
				path = append(path, escapePointer(cur.keys[i]))
				return true
			}
		}
		for i, v := range cur.arr {
			if find(v) {
				path = append(path, strconv.Itoa(i))
				return true
			}
		}
		return false
	}
	find(c.doc)
	var b strings.Builder
	b.WriteByte('#')
	for i := len(path) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(path[i])
	}
	return b.String()
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// resolve finds a $ref's target the way jsonschema's RefResolver does for
// a reference into the same document.
func (c *compiler) resolve(r *refSlot) error {
	ref := r.ref
	var frag string
	switch base, _, _ := strings.Cut(c.rootID, "#"); {
	case ref == "" || ref == base:
		frag = ""
	case strings.HasPrefix(ref, "#"):
		frag = ref[1:]
	case base != "" && strings.HasPrefix(ref, base+"#"):
		frag = ref[len(base)+1:]
	default:
		return fmt.Errorf("%s/$ref: remote reference %q is not supported", c.at(r.from), ref)
	}
	// RefResolver.resolve strips trailing slashes from the URL and
	// resolve_fragment leading ones from the fragment.
	frag = strings.Trim(frag, "/")
	target, err := c.fragment(frag)
	if err != nil {
		return fmt.Errorf("%s/$ref: unresolvable reference %q: %v", c.at(r.from), ref, err)
	}
	s, err := c.compile(target, false)
	if err != nil {
		return err
	}
	r.target = s
	return nil
}

func (c *compiler) fragment(frag string) (*node, error) {
	if frag == "" {
		return c.doc, nil
	}
	if c.anchors == 0 {
		c.anchors = -1
		if hasAnchor(c.doc) {
			c.anchors = 1
		}
	}
	// Anchors first, then ids equal to "#fragment", in the order of
	// jsonschema's _search_schema walk (a deque over dict values only).
	for _, kw := range []string{"$anchor", "$dynamicAnchor", "id", "$id"} {
		if c.anchors < 0 {
			break
		}
		want := frag
		if kw == "id" || kw == "$id" {
			want = "#" + frag
		}
		queue := []*node{c.doc}
		for len(queue) > 0 {
			v := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			if v.kind != kObject {
				continue
			}
			if a, ok := v.get(kw); ok && a.kind == kString && a.s == want {
				return v, nil
			}
			// extendleft(values): each value goes to the front in turn.
			front := make([]*node, 0, len(v.vals)+len(queue))
			for i := len(v.vals) - 1; i >= 0; i-- {
				front = append(front, v.vals[i])
			}
			queue = append(front, queue...)
		}
	}
	doc := c.doc
	for _, part := range strings.Split(unquote(frag), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch doc.kind {
		case kObject:
			v, ok := doc.get(part)
			if !ok {
				return nil, fmt.Errorf("no %q", part)
			}
			doc = v
		case kArray:
			i, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil {
				return nil, fmt.Errorf("%q is not an index", part)
			}
			if i < 0 { // Python's negative indexes
				i += len(doc.arr)
			}
			if i < 0 || i >= len(doc.arr) {
				return nil, fmt.Errorf("index %q out of range", part)
			}
			doc = doc.arr[i]
		default:
			return nil, fmt.Errorf("cannot look up %q in %s", part, typeName(doc))
		}
	}
	return doc, nil
}

func hasAnchor(n *node) bool {
	for i, k := range n.keys {
		switch k {
		case "id", "$id", "$anchor", "$dynamicAnchor":
			return true
		}
		if hasAnchor(n.vals[i]) {
			return true
		}
	}
	return false
}

// unquote is urllib.parse.unquote: %XX sequences decoded, malformed ones
// kept as written.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if h, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b = append(b, byte(h))
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
