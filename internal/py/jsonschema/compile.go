package jsonschema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/rallyforge/rallyforge/internal/py"
)

// opKind is a keyword some jsonschema validator class implements.
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
	opConst
	opContains
	opExclusiveMinimum
	opExclusiveMaximum
	opPropertyNames
	opIf
	opDependentRequired
	opDependentSchemas
	opPrefixItems
	opUnevaluatedItems
	opUnevaluatedProperties
	opDynamicRef
	opRecursiveRef
	// Keywords that are not validators of their own but name errors
	// (contains reports them with validator="minContains"/"maxContains").
	opMinContains
	opMaxContains
	numOps
)

// keywordName are the keywords in opKind order. Lookups go through a
// loop rather than a map so that the package has nothing to build at
// init time.
var keywordName = [numOps]string{
	opType: "type", opEnum: "enum", opMinimum: "minimum", opMaximum: "maximum",
	opMultipleOf: "multipleOf", opMinLength: "minLength", opMaxLength: "maxLength",
	opPattern: "pattern", opItems: "items", opAdditionalItems: "additionalItems",
	opMinItems: "minItems", opMaxItems: "maxItems", opUniqueItems: "uniqueItems",
	opProperties: "properties", opPatternProperties: "patternProperties",
	opAdditionalProperties: "additionalProperties", opRequired: "required",
	opMinProperties: "minProperties", opMaxProperties: "maxProperties",
	opDependencies: "dependencies", opAllOf: "allOf", opAnyOf: "anyOf",
	opOneOf: "oneOf", opNot: "not", opRef: "$ref",
	opConst: "const", opContains: "contains", opExclusiveMinimum: "exclusiveMinimum",
	opExclusiveMaximum: "exclusiveMaximum", opPropertyNames: "propertyNames", opIf: "if",
	opDependentRequired: "dependentRequired", opDependentSchemas: "dependentSchemas",
	opPrefixItems: "prefixItems", opUnevaluatedItems: "unevaluatedItems",
	opUnevaluatedProperties: "unevaluatedProperties", opDynamicRef: "$dynamicRef",
	opRecursiveRef: "$recursiveRef", opMinContains: "minContains", opMaxContains: "maxContains",
}

func keyword(name string) (opKind, bool) {
	for k, n := range keywordName[:opMinContains] {
		if n == name {
			return opKind(k), true
		}
	}
	return 0, false
}

// sch is one compiled (sub)schema: a boolean schema, or the keywords its
// validator class applies, in the document's key order (the order Python
// yields their errors in).
type sch struct {
	node    *node // the schema as written, for reprs in messages
	isBool  bool
	boolVal bool
	d       draft  // the validator class applying it
	scope   string // Python's resolution scope inside it
	ops     []op
}

type op struct {
	kind opKind
	val  *node // the keyword's value as written

	n        py.Num // numeric limit
	excl     bool   // draft 4 minimum/maximum: exclusiveMinimum/exclusiveMaximum is truthy
	legacy   bool   // the draft 4 (items), draft 6/7 (contains) variant
	intFloat bool   // type: "integer" also takes a float with an integral value (draft 6+)

	typeMask   uint16 // 1<<kind accepted by "type"
	enum       []any
	re         *pyRegexp
	sub        *sch   // items (schema form), additional*, not, contains, propertyNames, if
	then, els  *sch   // if
	subs       []*sch // items (array form), prefixItems, allOf, anyOf, oneOf
	props      []prop // properties, patternProperties
	names      []name // required
	allow      bool   // additional*: not a schema and truthy
	hasPats    bool   // additionalProperties: the schema has patternProperties
	pats       []*pyRegexp
	patsReprs  string // sorted reprs of the patternProperties keys
	noPatMatch bool   // the patterns joined with "|" are "": none matches (Python's test is on the join)
	propSet    map[string]struct{}
	propIndex  map[string]int // properties: name → index in props, for long lists
	nItems     int            // additionalItems: length of the items array; 2020 items: of prefixItems
	itemsFalse bool
	minC, maxC *node // contains (2019+): minContains, maxContains as written, nil when absent
	deps       []dep
	ref        *refSlot
	ue         *uneval // unevaluatedItems/unevaluatedProperties
}

type prop struct {
	name string
	re   *pyRegexp
	s    *sch
}

// name is a member of required or of a dependency list. Python tests
// `name in instance`: only a string can be a key of a decoded object,
// any other hashable value is always missing.
type name struct {
	s   string
	str bool
	val *node
}

func (nm name) repr() string {
	if nm.str {
		return py.Repr(nm.s)
	}
	return reprN(nm.val)
}

type dep struct {
	name  string
	names []name // array form
	s     *sch   // schema form
}

type refSlot struct {
	ref     string
	from    *node // the schema holding the $ref, for errors
	scope   string
	d       draft
	dynamic bool // $dynamicRef
	target  *sch
}

type memoKey struct {
	n     *node
	d     draft
	scope string
}

type compiler struct {
	root     *node  // the referrer: the document Compile was given
	base     string // the RefResolver's base URI: id_of(root), the first scope
	baseNorm string
	store    map[string]*node // normalised URL → document, for metaschemas (nil for user schemas)
	pending  []*refSlot
	memo     map[memoKey]*sch
	anchors  map[*node]*anchorIndex // by document; nil for one without anchors or ids
	subCache map[string]subHit      // _find_in_subschemas is lru_cached by URL alone
	joins    map[[2]string]string
	defrags  map[string][2]string
	lookups  map[[2]string]subHit // (ref, scope) → target and URL: the same answer every time
	plans    map[memoKey]*evalPlan
	variants map[*node]int
	// The last URL normalised: references come in runs into one document.
	lastNormIn, lastNormOut string
}

// urldefrag is urldefrag(url), cached like urljoin.
func (c *compiler) urldefrag(url string) (string, string, error) {
	if !strings.Contains(url, "#") {
		return url, "", nil
	}
	if x, ok := c.defrags[url]; ok {
		return x[0], x[1], nil
	}
	base, frag, err := urldefrag(url)
	if err != nil {
		return "", "", err
	}
	if c.defrags == nil {
		c.defrags = map[string][2]string{}
	}
	c.defrags[url] = [2]string{base, frag}
	return base, frag, nil
}

// urljoin is urljoin(base, url), cached as RefResolver caches it: a
// metaschema joins the same few scopes and references hundreds of times.
func (c *compiler) urljoin(base, url string) (string, error) {
	if base == "" {
		return url, nil
	}
	k := [2]string{base, url}
	if j, ok := c.joins[k]; ok {
		return j, nil
	}
	j, err := urljoin(base, url)
	if err != nil {
		return "", err
	}
	if len(j) > maxScope {
		return "", fmt.Errorf("the resolution scope grows past %d characters (an id that nests onto itself?): not supported", maxScope)
	}
	if c.joins == nil {
		c.joins = map[[2]string]string{}
	}
	c.joins[k] = j
	return j, nil
}

type subHit struct {
	scope  string
	target *node
}

func typeName(n *node) string {
	switch n.kind {
	case py.NoneKind:
		return "null"
	case py.BoolKind:
		return "boolean"
	case py.IntKind:
		return "integer"
	case py.FloatKind:
		return "number"
	case py.StrKind:
		return "string"
	case py.ListKind:
		return "array"
	case py.DictKind:
		return "object"
	}
	return "?"
}

func typeMask(name string) (uint16, bool) {
	switch name {
	case "array":
		return 1 << py.ListKind, true
	case "boolean":
		return 1 << py.BoolKind, true
	case "integer":
		return 1 << py.IntKind, true
	case "null":
		return 1 << py.NoneKind, true
	case "number":
		return 1<<py.IntKind | 1<<py.FloatKind, true
	case "object":
		return 1 << py.DictKind, true
	case "string":
		return 1 << py.StrKind, true
	}
	return 0, false
}

func isNumber(n *node) bool { return n.kind == py.IntKind || n.kind == py.FloatKind }

// numLimit reads a numeric keyword value as Python compares it: a bool
// is the int 0 or 1 there.
func numLimit(n *node) (py.Num, bool) {
	switch n.kind {
	case py.IntKind, py.FloatKind:
		return n.n, true
	case py.BoolKind:
		if n.b {
			return py.Num{IsInt: true, I: 1}, true
		}
		return py.Num{IsInt: true}, true
	}
	return py.Num{}, false
}

func isSchema(n *node) bool { return n.kind == py.DictKind || n.kind == py.BoolKind }

// compile compiles n for validator class d (the parent's; "$schema"
// may switch it, as evolve() does) in resolution scope scope. Error
// messages name the schema by its JSON pointer, worked out only when
// there is an error.
func (c *compiler) compile(n *node, d draft, scope string) (*sch, error) {
	switch n.kind {
	case py.BoolKind:
		// iter_errors accepts True/False schemas in every class.
		if n.compiled == nil {
			n.compiled = &sch{node: n, isBool: true, boolVal: n.b}
		}
		return n.compiled, nil
	case py.DictKind:
	default:
		return nil, fmt.Errorf("%s: a schema must be an object, not %s (Python raises)", c.at(n), typeName(n))
	}
	d, err := draftOf(n, d)
	if err != nil {
		return nil, fmt.Errorf("%s/%v", c.at(n), err)
	}
	if d == draft3 {
		return nil, fmt.Errorf("%s: draft-03 schemas are not supported", c.at(n))
	}
	if id, ok := n.get(d.idKeyword()); ok {
		switch {
		case id.kind == py.StrKind && id.s != "":
			// iter_errors pushes id_of(schema) onto the scopes.
			if scope, err = c.urljoin(scope, id.s); err != nil {
				return nil, fmt.Errorf("%s/%s: %v", c.at(n), d.idKeyword(), err)
			}
		case id.kind != py.StrKind && id.truthy():
			return nil, fmt.Errorf("%s/%s: must be a string, not %s (Python raises)", c.at(n), d.idKeyword(), typeName(id))
		}
	}
	if s := n.compiled; s != nil && s.d == d && s.scope == scope {
		return s, nil
	}
	mk := memoKey{n, d, scope}
	if s, ok := c.memo[mk]; ok {
		return s, nil
	}
	if err := c.newVariant(n); err != nil {
		return nil, err
	}
	s := &sch{node: n, d: d, scope: scope}
	if n.compiled == nil {
		n.compiled = s
	} else {
		if c.memo == nil {
			c.memo = map[memoKey]*sch{}
		}
		c.memo[mk] = s
	}
	if ref, ok := n.get("$ref"); ok && ref.kind != py.StrKind {
		return nil, fmt.Errorf("%s/$ref: must be a string, not %s (Python raises)", c.at(n), typeName(ref))
	}
	if ref, ok := n.get("$ref"); ok && d <= draft7 {
		// ignore_ref_siblings: draft 7 and before apply $ref alone.
		slot := &refSlot{ref: ref.s, from: n, scope: scope, d: d}
		c.pending = append(c.pending, slot)
		s.ops = []op{{kind: opRef, val: ref, ref: slot}}
		return s, nil
	}
	if err := c.compileOps(n, d, scope, s, false); err != nil {
		// Forget the half-compiled schema: the unevaluated* walks
		// compile values tentatively and carry on without them.
		if n.compiled == s {
			n.compiled = nil
		}
		delete(c.memo, mk)
		return nil, err
	}
	return s, nil
}

// maxScope bounds a resolution scope's length, for the same reason as
// maxVariants: joined onto itself, a relative id can double it each time.
const maxScope = 4096

// maxVariants bounds the (class, scope) pairs one node is compiled in.
// A relative id can nest onto itself each time its schema is entered
// ("$id": "a/" gives a/a/, a/a/a/, ...): Python's scopes grow with every
// $ref back to it, and so would the compiled schemas.
const maxVariants = 64

func (c *compiler) newVariant(n *node) error {
	if c.variants == nil {
		c.variants = map[*node]int{}
	}
	c.variants[n]++
	if c.variants[n] > maxVariants {
		return fmt.Errorf("%s: met in more than %d resolution scopes (an id that nests onto itself?): not supported", c.at(n), maxVariants)
	}
	return nil
}

// compileOps compiles n's keywords into s. With objectsOnly, the
// schema will only ever be applied to objects: a keyword that ignores
// objects cannot make Python raise, so a value it could not use is
// dropped instead of refused.
func (c *compiler) compileOps(n *node, d draft, scope string, s *sch, objectsOnly bool) error {
	nops := 0
	for _, key := range n.keys {
		if _, ok := keywordFor(d, key); ok {
			nops++
		}
	}
	s.ops = make([]op, 0, nops)
	for i, key := range n.keys {
		k, ok := keywordFor(d, key)
		if !ok {
			continue // unknown keywords, format, definitions, $defs, ...
		}
		o := op{kind: k, val: n.vals[i]}
		skip, err := c.compileOp(&o, n, d, scope)
		if err != nil {
			if objectsOnly && !appliesToObjects(k) {
				continue
			}
			return err
		}
		if !skip {
			s.ops = append(s.ops, o)
		}
	}
	return nil
}

// appliesToObjects: the keywords whose validator looks at an object
// instance (the others return at their is_type test).
func appliesToObjects(k opKind) bool {
	switch k {
	case opMinimum, opMaximum, opExclusiveMinimum, opExclusiveMaximum, opMultipleOf,
		opMinLength, opMaxLength, opPattern, opItems, opPrefixItems, opAdditionalItems,
		opMinItems, opMaxItems, opUniqueItems, opContains, opUnevaluatedItems:
		return false
	}
	return true
}

// compileOp fills o for keyword o.kind of schema n. skip is true for a
// keyword that can never report anything.
func (c *compiler) compileOp(o *op, n *node, d draft, scope string) (skip bool, err error) {
	v := o.val
	key := keywordName[o.kind]
	at := func() string { return c.at(n) + "/" + escapePointer(key) }
	sub := func(v *node) (*sch, error) { return c.compile(v, d, scope) }
	switch o.kind {
	case opType:
		var names []*node
		switch v.kind {
		case py.StrKind:
			names = []*node{v}
		case py.ListKind:
			names = v.arr
		default:
			return false, mustBe(at(), "a string or an array of strings", v)
		}
		for _, t := range names {
			m, ok := typeMask(t.s)
			if t.kind != py.StrKind || !ok {
				return false, fmt.Errorf("%s: unknown type %s (Python raises UnknownType)", at(), reprN(t))
			}
			o.typeMask |= m
		}
		o.intFloat = d >= draft6
	case opEnum:
		if v.kind != py.ListKind {
			return false, mustBe(at(), "an array", v)
		}
		for _, e := range v.arr {
			o.enum = append(o.enum, e.value())
		}
	case opConst:
		o.enum = []any{v.value()}
	case opMinimum, opMaximum, opExclusiveMinimum, opExclusiveMaximum,
		opMinLength, opMaxLength, opMinItems, opMaxItems, opMinProperties, opMaxProperties:
		var ok bool
		if o.n, ok = numLimit(v); !ok {
			return false, mustBe(at(), "a number", v)
		}
		if d <= draft4 && (o.kind == opMinimum || o.kind == opMaximum) {
			excl := "exclusiveMinimum"
			if o.kind == opMaximum {
				excl = "exclusiveMaximum"
			}
			// Python: schema.get("exclusiveMinimum", False) as a truth
			// value, so a draft-6 style number 0 means inclusive.
			if e, ok := n.get(excl); ok {
				o.excl = e.truthy()
			}
		}
	case opMultipleOf:
		var ok bool
		if o.n, ok = numLimit(v); !ok || !v.truthy() {
			return false, fmt.Errorf("%s: must be a non-zero number (Python raises)", at())
		}
	case opPattern:
		if v.kind != py.StrKind {
			return false, mustBe(at(), "a string", v)
		}
		if o.re, err = compilePattern(v.s); err != nil {
			return false, fmt.Errorf("%s: %v", at(), err)
		}
	case opItems:
		switch {
		case d == draft2020:
			if !isSchema(v) {
				return false, mustBe(at(), "a schema", v)
			}
			if o.sub, err = sub(v); err != nil {
				return false, err
			}
			o.itemsFalse = v.kind == py.BoolKind && !v.b
			if p, ok := n.get("prefixItems"); ok {
				if p.kind != py.ListKind {
					return false, fmt.Errorf("%s/prefixItems: must be an array, not %s", c.at(n), typeName(p))
				}
				o.nItems = len(p.arr)
			}
		case v.kind == py.ListKind:
			if o.subs, err = c.compileList(v, d, scope); err != nil {
				return false, err
			}
		case v.kind == py.DictKind || v.kind == py.BoolKind && d >= draft6:
			if o.sub, err = sub(v); err != nil {
				return false, err
			}
		default:
			return false, mustBe(at(), "a schema or an array of schemas", v)
		}
	case opPrefixItems:
		if v.kind != py.ListKind {
			return false, mustBe(at(), "an array", v)
		}
		if o.subs, err = c.compileList(v, d, scope); err != nil {
			return false, err
		}
	case opAdditionalItems:
		items, ok := n.get("items")
		if !ok || items.kind == py.DictKind {
			return true, nil // Python returns before looking at additionalItems
		}
		if items.kind != py.ListKind {
			// len(schema["items"]) on an array instance.
			return false, fmt.Errorf("%s/items: %s with additionalItems (Python raises TypeError)", c.at(n), typeName(items))
		}
		o.nItems = len(items.arr)
		if err := c.additional(o, v, d, scope); err != nil {
			return false, err
		}
	case opUniqueItems:
		return !v.truthy(), nil
	case opProperties, opPatternProperties, opDependentSchemas:
		if v.kind != py.DictKind {
			return false, mustBe(at(), "an object", v)
		}
		for j, pname := range v.keys {
			p := prop{name: pname}
			if o.kind == opPatternProperties {
				if p.re, err = compilePattern(pname); err != nil {
					return false, fmt.Errorf("%s: %v", at(), err)
				}
			}
			if p.s, err = sub(v.vals[j]); err != nil {
				return false, err
			}
			o.props = append(o.props, p)
		}
		if o.kind == opProperties && len(o.props) > 12 {
			o.propIndex = make(map[string]int, len(o.props))
			for j := len(o.props) - 1; j >= 0; j-- {
				o.propIndex[o.props[j].name] = j // a repeated key: its first place, as Python's dict
			}
		}
	case opAdditionalProperties:
		if err := c.additional(o, v, d, scope); err != nil {
			return false, err
		}
		if props, ok := n.get("properties"); ok && props.kind == py.DictKind {
			o.propSet = make(map[string]struct{}, len(props.keys))
			for _, pname := range props.keys {
				o.propSet[pname] = struct{}{}
			}
		}
		if pp, ok := n.get("patternProperties"); ok {
			o.hasPats = true
			if pp.kind != py.DictKind {
				return false, fmt.Errorf("%s/patternProperties: must be an object, not %s", c.at(n), typeName(pp))
			}
			keys := append([]string(nil), pp.keys...)
			o.noPatMatch = strings.Join(keys, "|") == ""
			for _, p := range keys {
				re, err := compilePattern(p)
				if err != nil {
					return false, fmt.Errorf("%s/patternProperties: %v", c.at(n), err)
				}
				o.pats = append(o.pats, re)
			}
			sort.Strings(keys)
			reprs := make([]string, len(keys))
			for j, p := range keys {
				reprs[j] = py.Repr(p)
			}
			o.patsReprs = strings.Join(reprs, ", ")
		}
	case opRequired:
		if v.kind == py.BoolKind {
			// Draft 3's "required": true, where no metaschema looks:
			// Python raises (TypeError) for an object instance only.
			return false, nil
		}
		if o.names, err = names(v); err != nil {
			return false, fmt.Errorf("%s: %v", at(), err)
		}
	case opDependencies, opDependentRequired:
		if v.kind != py.DictKind {
			return false, mustBe(at(), "an object", v)
		}
		for j, pname := range v.keys {
			dp := dep{name: pname}
			dv := v.vals[j]
			switch {
			case o.kind == opDependencies && dv.kind != py.ListKind:
				if dp.s, err = sub(dv); err != nil {
					return false, err
				}
			default:
				if dp.names, err = names(dv); err != nil {
					return false, fmt.Errorf("%s/%s: %v", at(), escapePointer(pname), err)
				}
			}
			o.deps = append(o.deps, dp)
		}
	case opAllOf, opAnyOf, opOneOf:
		if v.kind != py.ListKind {
			return false, mustBe(at(), "an array", v)
		}
		if o.subs, err = c.compileList(v, d, scope); err != nil {
			return false, err
		}
	case opNot, opPropertyNames:
		if o.sub, err = sub(v); err != nil {
			return false, err
		}
	case opContains:
		if o.sub, err = sub(v); err != nil {
			return false, err
		}
		o.legacy = d <= draft7
		if !o.legacy {
			for _, k := range []string{"minContains", "maxContains"} {
				m, ok := n.get(k)
				if !ok {
					continue
				}
				if _, ok := numLimit(m); !ok {
					return false, fmt.Errorf("%s/%s: must be a number, not %s (Python raises TypeError)", c.at(n), k, typeName(m))
				}
				if k == "minContains" {
					o.minC = m
				} else {
					o.maxC = m
				}
			}
		}
	case opIf:
		if o.sub, err = sub(v); err != nil {
			return false, err
		}
		if t, ok := n.get("then"); ok {
			if o.then, err = sub(t); err != nil {
				return false, err
			}
		}
		if e, ok := n.get("else"); ok {
			if o.els, err = sub(e); err != nil {
				return false, err
			}
		}
	case opRef, opDynamicRef:
		slot := &refSlot{ref: v.s, from: n, scope: scope, d: d, dynamic: o.kind == opDynamicRef}
		if v.kind != py.StrKind {
			return false, mustBe(at(), "a string", v)
		}
		c.pending = append(c.pending, slot)
		o.ref = slot
	case opRecursiveRef:
		// Python 4.10.3's recursiveRef is gutted: it resolves the
		// fragment and returns no errors. Only "#" is sure to resolve.
		if v.kind != py.StrKind {
			return false, mustBe(at(), "a string", v)
		}
		if strings.TrimLeft(strings.TrimLeft(v.s, "#"), "/") != "" {
			return false, fmt.Errorf("%s: only \"#\" is supported", at())
		}
		return true, nil
	case opUnevaluatedItems, opUnevaluatedProperties:
		if err := c.compileUneval(o, n, d, scope); err != nil {
			return false, err
		}
	}
	return false, nil
}

// names reads required or a dependency list as Python iterates it: an
// array's members, a string's characters, an object's keys. Members
// Python cannot look up in a dict (lists, objects) raise TypeError.
func names(v *node) ([]name, error) {
	var out []name
	switch v.kind {
	case py.ListKind:
		for _, e := range v.arr {
			switch e.kind {
			case py.StrKind:
				out = append(out, name{s: e.s, str: true})
			case py.ListKind, py.DictKind:
				return nil, fmt.Errorf("must be an array of strings, not contain %s (Python raises TypeError)", typeName(e))
			default:
				out = append(out, name{val: e})
			}
		}
	case py.StrKind:
		for _, r := range v.s {
			out = append(out, name{s: string(r), str: true})
		}
	case py.DictKind:
		for _, k := range v.keys {
			out = append(out, name{s: k, str: true})
		}
	default:
		return nil, fmt.Errorf("must be an array of strings, not %s (Python raises TypeError)", typeName(v))
	}
	return out, nil
}

func mustBe(at, what string, v *node) error {
	return fmt.Errorf("%s: must be %s, not %s", at, what, typeName(v))
}

// additional reads additionalItems/additionalProperties: a schema when it
// is an object, otherwise Python's truth value decides.
func (c *compiler) additional(o *op, v *node, d draft, scope string) error {
	if v.kind == py.DictKind {
		var err error
		o.sub, err = c.compile(v, d, scope)
		return err
	}
	o.allow = v.truthy()
	return nil
}

func (c *compiler) compileList(v *node, d draft, scope string) ([]*sch, error) {
	out := make([]*sch, len(v.arr))
	for i, e := range v.arr {
		s, err := c.compile(e, d, scope)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// at is the JSON pointer of a node ("#/properties/a"), found by a walk
// from the root (or from the stored document holding it): it is only
// needed for error messages.
func (c *compiler) at(n *node) string {
	if p, ok := pointerTo(c.root, n); ok {
		return p
	}
	for url, doc := range c.store {
		if p, ok := pointerTo(doc, n); ok {
			return url + p
		}
	}
	return "#?"
}

func pointerTo(doc, n *node) (string, bool) {
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
	if !find(doc) {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('#')
	for i := len(path) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(path[i])
	}
	return b.String(), true
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// resolve finds a $ref's (or $dynamicRef's) target the way jsonschema's
// RefResolver does, in the resolution scope the reference is met in, and
// compiles it in the scope Python pushes for it.
func (c *compiler) resolve(r *refSlot) error {
	fail := func(err error) error {
		return fmt.Errorf("%s/%s: %v", c.at(r.from), map[bool]string{false: "$ref", true: "$dynamicRef"}[r.dynamic], err)
	}
	if r.dynamic {
		// dynamicRef: for each scope from the bottom of the stack, resolve
		// c.urljoin(scope, ref) and take it if it carries the matching
		// $dynamicAnchor. The bottom scope is always the base URI; the
		// ones above it depend on the path taken, so only a match there
		// is followed.
		_, frag, err := urldefrag(r.ref)
		if err != nil {
			return fail(err)
		}
		lookup, err := c.urljoin(c.base, r.ref)
		if err != nil {
			return fail(err)
		}
		target, url, err := c.lookup(lookup, r.scope)
		if err != nil {
			return fail(err)
		}
		if target.kind != py.DictKind {
			return fail(fmt.Errorf("%q resolves to %s (Python raises TypeError)", r.ref, typeName(target)))
		}
		a, ok := target.get("$dynamicAnchor")
		if !ok || a.kind != py.StrKind || a.s != frag {
			return fail(fmt.Errorf("%q: only a $dynamicRef whose target from the base URI has the $dynamicAnchor is supported", r.ref))
		}
		return c.compileTarget(r, target, url)
	}
	target, url, err := c.lookup(r.ref, r.scope)
	if err != nil {
		return fail(err)
	}
	return c.compileTarget(r, target, url)
}

func (c *compiler) compileTarget(r *refSlot, target *node, url string) error {
	// resolving() pushes the resolved URL as the scope.
	scope, err := c.urljoin(r.scope, url)
	if err != nil {
		return err
	}
	s, err := c.compile(target, r.d, scope)
	if err != nil {
		return err
	}
	r.target = s
	return nil
}

// lookup is RefResolver.resolve(ref) in scope: the URL (pushed as the
// next scope) and the node it names.
func (c *compiler) lookup(ref, scope string) (*node, string, error) {
	k := [2]string{ref, scope}
	if hit, ok := c.lookups[k]; ok {
		return hit.target, hit.scope, nil
	}
	t, url, err := c.lookupOnce(ref, scope)
	if err == nil {
		if c.lookups == nil {
			c.lookups = map[[2]string]subHit{}
		}
		c.lookups[k] = subHit{scope: url, target: t}
	}
	return t, url, err
}

func (c *compiler) lookupOnce(ref, scope string) (*node, string, error) {
	url, err := c.urljoin(scope, ref)
	if err != nil {
		return nil, "", err
	}
	url = strings.TrimRight(url, "/")
	if t, ok, err := c.findInSubschemas(url, scope); err != nil || ok {
		return t, url, err
	}
	base, frag, err := c.urldefrag(url)
	if err != nil {
		return nil, "", err
	}
	doc := c.root
	if base != "" {
		norm := base
		if base != c.lastNormIn {
			if norm, err = normalizeURI(base); err != nil {
				return nil, "", err
			}
			c.lastNormIn, c.lastNormOut = base, norm
		} else {
			norm = c.lastNormOut
		}
		switch {
		case norm == c.baseNorm:
		case c.store[norm] != nil:
			doc = c.store[norm]
		case isMetaschemaURL(norm):
			return nil, "", fmt.Errorf("a reference to the metaschema %s is not supported", py.Repr(base))
		default:
			return nil, "", fmt.Errorf("remote reference %s is not supported", py.Repr(url))
		}
	}
	t, err := c.fragment(doc, frag)
	if err != nil {
		return nil, "", fmt.Errorf("unresolvable reference %s: %v (Python raises RefResolutionError)", py.Repr(ref), err)
	}
	return t, url, nil
}

func isMetaschemaURL(norm string) bool {
	if strings.HasPrefix(norm, "https://json-schema.org/draft/") && strings.Contains(norm, "/meta/") {
		return true
	}
	for _, u := range metaschemaURLs {
		if u == norm {
			return true
		}
	}
	return false
}

// findInSubschemas is RefResolver._find_in_subschemas: an object of the
// referrer whose "$id", joined onto the current scope, is the URL
// without its fragment. Python caches the answer by URL alone; a URL
// whose answer would depend on the scope it is met in first is refused.
func (c *compiler) findInSubschemas(url, scope string) (*node, bool, error) {
	x := c.anchorsOf(c.root)
	if x == nil || len(x[3]) == 0 {
		return nil, false, nil
	}
	if prev, ok := c.subCache[url]; ok && prev.scope == scope {
		return prev.target, prev.target != nil, nil
	}
	uri, frag, err := c.urldefrag(url)
	if err != nil {
		return nil, false, err
	}
	var hit *node
	for _, sub := range x[3] {
		id, _ := sub.get("$id")
		var target string
		switch {
		case id.kind == py.StrKind:
			if target, err = c.urljoin(scope, id.s); err != nil {
				return nil, false, err
			}
		case !id.truthy() && scope != "":
			target = scope // c.urljoin(scope, <falsy>) is the scope
		default:
			return nil, false, fmt.Errorf("an object with \"$id\": %s is met while resolving (Python raises)", reprN(id))
		}
		if strings.TrimRight(target, "/") == strings.TrimRight(uri, "/") {
			hit = sub
			if frag != "" {
				if hit, err = c.fragment(sub, frag); err != nil {
					return nil, false, fmt.Errorf("unresolvable reference %s: %v (Python raises RefResolutionError)", py.Repr(url), err)
				}
			}
			break
		}
	}
	if prev, ok := c.subCache[url]; ok {
		if prev.target != hit {
			return nil, false, fmt.Errorf("%s resolves differently in scopes %s and %s, and Python keeps whichever it meets first", py.Repr(url), py.Repr(prev.scope), py.Repr(scope))
		}
	} else {
		if c.subCache == nil {
			c.subCache = map[string]subHit{}
		}
		c.subCache[url] = subHit{scope, hit}
	}
	return hit, hit != nil, nil
}

// searchSchema is jsonschema's _search_schema walk, calling f on every
// object until it returns true. Python pops from the right of a deque and
// extendlefts each object's values: first in, first out, so a breadth-
// first walk taking values in order (arrays are not entered).
func searchSchema(doc *node, f func(*node) bool) {
	queue := []*node{doc}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		if v.kind != py.DictKind {
			continue
		}
		if f(v) {
			return
		}
		queue = append(queue, v.vals...)
	}
}

// anchorIndex is RefResolver._get_subschemas_cache for one document: the
// objects holding each of "$anchor", "$dynamicAnchor", "id", "$id", in
// _search_schema order.
type anchorIndex [4][]*node

var anchorKeywords = [4]string{"$anchor", "$dynamicAnchor", "id", "$id"}

func (c *compiler) anchorsOf(doc *node) *anchorIndex {
	if x, ok := c.anchors[doc]; ok {
		return x
	}
	if c.anchors == nil {
		c.anchors = map[*node]*anchorIndex{}
	}
	var x *anchorIndex
	if hasAnchor(doc) {
		x = new(anchorIndex)
		searchSchema(doc, func(v *node) bool {
			for i, kw := range anchorKeywords {
				if _, ok := v.get(kw); ok {
					x[i] = append(x[i], v)
				}
			}
			return false
		})
	}
	c.anchors[doc] = x
	return x
}

// fragment is RefResolver.resolve_fragment(doc, frag).
func (c *compiler) fragment(doc *node, frag string) (*node, error) {
	frag = strings.TrimLeft(frag, "/")
	if frag == "" {
		return doc, nil
	}
	// Anchors first, then ids equal to "#fragment", in the order of
	// jsonschema's _search_schema walk.
	if x := c.anchorsOf(doc); x != nil {
		for i, kw := range anchorKeywords {
			want := frag
			if i >= 2 {
				want = "#" + frag
			}
			for _, v := range x[i] {
				if a, _ := v.get(kw); a.kind == py.StrKind && a.s == want {
					return v, nil
				}
			}
		}
	}
	cur := doc
	for _, part := range strings.Split(unquote(frag), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch cur.kind {
		case py.DictKind:
			v, ok := cur.get(part)
			if !ok {
				return nil, fmt.Errorf("no %q", part)
			}
			cur = v
		case py.ListKind:
			i, ok := pyInt(part)
			if !ok {
				return nil, fmt.Errorf("%q is not an index", part)
			}
			if i < 0 { // Python's negative indexes
				i += len(cur.arr)
			}
			if i < 0 || i >= len(cur.arr) {
				return nil, fmt.Errorf("index %q out of range", part)
			}
			cur = cur.arr[i]
		default:
			return nil, fmt.Errorf("cannot look up %q in %s", part, typeName(cur))
		}
	}
	return cur, nil
}

// pyInt is Python's int(str) for ASCII text: surrounding whitespace, a
// sign, digits with single underscores between them.
func pyInt(s string) (int, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 || t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return 0, false
	}
	i, err := strconv.Atoi(s[:len(s)-len(t)] + strings.ReplaceAll(t, "_", ""))
	return i, err == nil
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
	for _, e := range n.arr {
		if hasAnchor(e) {
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
