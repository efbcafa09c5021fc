package jsonschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rallyforge/rallyforge/internal/py"
)

// unevaluatedProperties and unevaluatedItems as jsonschema 4.10.3 runs
// them (2019-09 and 2020-12): the keys (indexes) "evaluated" are found by
// _utils.find_evaluated_property_keys_by_schema (…_item_indexes_…), which
// walks the raw schema rather than the validation's annotations, and is
// copied here quirks and all:
//
//   - "properties", "additionalProperties" and "unevaluatedProperties",
//     when they are objects, are all read as property → subschema maps:
//     for additionalProperties {"type": "string"} an instance key "type"
//     counts as evaluated when its value is valid under the schema
//     "string", which makes Python raise (AttributeError);
//   - a key matching a patternProperties pattern is evaluated when
//     {key: value} is valid under the patternProperties object taken as
//     a schema;
//   - allOf/anyOf/oneOf members count when the instance is valid under
//     them, each on its own (a oneOf with two valid members counts both);
//   - "items" anywhere in the walked schema evaluates every index;
//     "additionalItems" none;
//   - a property is reported once per error its value has under
//     unevaluatedProperties, so the message can repeat a name;
//   - unevaluatedItems reports every item no keyword evaluated (items
//     valid under unevaluatedItems are evaluated), sorted: unorderable
//     items make Python raise TypeError.
//
// Where Python raises while doing this, Validate returns that single
// error, its message naming the exception.

type uneval struct {
	plan *evalPlan // for the schema holding the keyword
}

// evalPlan is one schema as the find_evaluated_* functions see it.
type evalPlan struct {
	err    error // evaluating it makes Python raise
	isBool bool
	node   *node

	ref *evalPlan
	// properties, additionalProperties, unevaluatedProperties, in that order
	pkws       []propKeyword
	pats       []*pyRegexp
	patSchema  *sch
	patErr     error
	depSchemas []namedPlan
	depErr     error

	hasItems   bool
	prefix     int
	prefixErr  error
	itemChecks []itemCheck // contains, unevaluatedItems

	apps []appPlan // allOf, oneOf, anyOf members
	// if/then/else
	hasIf            bool
	ifSch            *sch
	ifErr            error
	ifPlan, thenPlan *evalPlan
	elsePlan         *evalPlan
}

type propKeyword struct {
	isBool  bool
	boolVal bool
	entries []checkEntry
}

type checkEntry struct {
	name string
	s    *sch
	err  error
}

type itemCheck struct {
	s   *sch
	err error
}

type namedPlan struct {
	name string
	plan *evalPlan
}

type appPlan struct {
	s    *sch
	err  error
	plan *evalPlan
}

func (c *compiler) compileUneval(o *op, n *node, d draft, scope string) error {
	if !isSchema(o.val) {
		return mustBe(c.at(n)+"/"+keywordName[o.kind], "a schema", o.val)
	}
	var err error
	if o.sub, err = c.compile(o.val, d, scope); err != nil {
		return err
	}
	plan, err := c.plan(n, d, scope)
	if err != nil {
		return err
	}
	o.ue = &uneval{plan: plan}
	return nil
}

// tentative compiles a value Python only evaluates as a schema for some
// instances: the failure is kept for Validate to report when it gets
// there.
func (c *compiler) tentative(v *node, d draft, scope string) (*sch, error) {
	if !isSchema(v) {
		return nil, fmt.Errorf("%s is %s, evaluated as a schema (Python raises)", c.at(v), typeName(v))
	}
	return c.compile(v, d, scope)
}

// compileForObjects compiles an object as a schema that will only be
// applied to objects, outside the memo (the same node compiled for any
// instance must refuse what this one drops).
func (c *compiler) compileForObjects(n *node, d draft, scope string) (*sch, error) {
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
			if scope, err = c.urljoin(scope, id.s); err != nil {
				return nil, err
			}
		case id.kind != py.StrKind && id.truthy():
			return nil, fmt.Errorf("%s/%s: must be a string, not %s (Python raises)", c.at(n), d.idKeyword(), typeName(id))
		}
	}
	s := &sch{node: n, d: d, scope: scope}
	if ref, ok := n.get("$ref"); ok && d <= draft7 {
		if ref.kind != py.StrKind {
			return nil, fmt.Errorf("%s/$ref: must be a string (Python raises)", c.at(n))
		}
		slot := &refSlot{ref: ref.s, from: n, scope: scope, d: d}
		c.pending = append(c.pending, slot)
		s.ops = []op{{kind: opRef, val: ref, ref: slot}}
		return s, nil
	}
	if err := c.compileOps(n, d, scope, s, true); err != nil {
		return nil, err
	}
	return s, nil
}

// plan builds the evalPlan of n for class d in scope, once per (node,
// scope): references can make the plans a cycle.
func (c *compiler) plan(n *node, d draft, scope string) (*evalPlan, error) {
	key := memoKey{n, d, scope}
	if p, ok := c.plans[key]; ok {
		return p, nil
	}
	if c.plans == nil {
		c.plans = map[memoKey]*evalPlan{}
	}
	if err := c.newVariant(n); err != nil {
		return nil, err
	}
	p := &evalPlan{node: n}
	c.plans[key] = p
	switch n.kind {
	case py.BoolKind:
		p.isBool = true
		return p, nil
	case py.DictKind:
	default:
		p.err = fmt.Errorf("%s is %s, walked as a schema (Python raises)", c.at(n), typeName(n))
		return p, nil
	}
	var err error
	if ref, ok := n.get("$ref"); ok {
		if ref.kind != py.StrKind {
			return nil, fmt.Errorf("%s/$ref: must be a string (Python raises)", c.at(n))
		}
		target, url, err := c.lookup(ref.s, scope)
		if err != nil {
			return nil, fmt.Errorf("%s/$ref: %v", c.at(n), err)
		}
		pushed, err := c.urljoin(scope, url)
		if err != nil {
			return nil, err
		}
		if p.ref, err = c.plan(target, d, pushed); err != nil {
			return nil, err
		}
	}
	for _, kw := range []string{"properties", "additionalProperties", "unevaluatedProperties"} {
		v, ok := n.get(kw)
		if !ok {
			continue
		}
		pk := propKeyword{}
		switch v.kind {
		case py.BoolKind:
			pk.isBool, pk.boolVal = true, v.b
		case py.DictKind:
			for i, name := range v.keys {
				e := checkEntry{name: name}
				e.s, e.err = c.tentative(v.vals[i], d, scope)
				pk.entries = append(pk.entries, e)
			}
		}
		p.pkws = append(p.pkws, pk)
	}
	if pp, ok := n.get("patternProperties"); ok {
		if pp.kind != py.DictKind {
			p.patErr = fmt.Errorf("%s/patternProperties is %s (Python raises)", c.at(n), typeName(pp))
		} else {
			for _, pat := range pp.keys {
				re, err := compilePattern(pat)
				if err != nil {
					return nil, fmt.Errorf("%s/patternProperties: %v", c.at(n), err)
				}
				p.pats = append(p.pats, re)
			}
			// Applied to {key: value} only: compiled for objects.
			p.patSchema, p.patErr = c.compileForObjects(pp, d, scope)
		}
	}
	if ds, ok := n.get("dependentSchemas"); ok {
		if ds.kind != py.DictKind {
			p.depErr = fmt.Errorf("%s/dependentSchemas is %s (Python raises)", c.at(n), typeName(ds))
		} else {
			for i, name := range ds.keys {
				sub, err := c.plan(ds.vals[i], d, scope)
				if err != nil {
					return nil, err
				}
				p.depSchemas = append(p.depSchemas, namedPlan{name, sub})
			}
		}
	}
	_, p.hasItems = n.get("items")
	if pi, ok := n.get("prefixItems"); ok {
		switch pi.kind {
		case py.ListKind:
			p.prefix = len(pi.arr)
		case py.DictKind:
			p.prefix = len(pi.keys)
		case py.StrKind:
			p.prefix = len([]rune(pi.s))
		default:
			p.prefixErr = fmt.Errorf("%s/prefixItems is %s: len() of it (Python raises TypeError)", c.at(n), typeName(pi))
		}
	}
	for _, kw := range []string{"contains", "unevaluatedItems"} {
		if v, ok := n.get(kw); ok {
			var cs itemCheck
			cs.s, cs.err = c.tentative(v, d, scope)
			p.itemChecks = append(p.itemChecks, cs)
		}
	}
	for _, kw := range []string{"allOf", "oneOf", "anyOf"} {
		v, ok := n.get(kw)
		if !ok {
			continue
		}
		if v.kind != py.ListKind {
			p.apps = append(p.apps, appPlan{err: fmt.Errorf("%s/%s is %s (Python raises)", c.at(n), kw, typeName(v))})
			continue
		}
		for _, m := range v.arr {
			a := appPlan{}
			if a.s, a.err = c.tentative(m, d, scope); a.err == nil {
				if a.plan, err = c.plan(m, d, scope); err != nil {
					return nil, err
				}
			}
			p.apps = append(p.apps, a)
		}
	}
	if v, ok := n.get("if"); ok {
		p.hasIf = true
		if p.ifSch, p.ifErr = c.tentative(v, d, scope); p.ifErr == nil {
			if p.ifPlan, err = c.plan(v, d, scope); err != nil {
				return nil, err
			}
		}
		if t, ok := n.get("then"); ok {
			if p.thenPlan, err = c.plan(t, d, scope); err != nil {
				return nil, err
			}
		}
		if e, ok := n.get("else"); ok {
			if p.elsePlan, err = c.plan(e, d, scope); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// raise stops validation where Python raises.
func (st *state) raise(err error) {
	msg := err.Error()
	if !strings.Contains(msg, "Python raises") {
		msg += " (Python raises when it applies this as a schema)"
	}
	st.stop(st.ueKeyword, msg)
}

// enter guards a walk through a plan: the walk never changes the
// instance, so meeting a plan again is Python's endless recursion.
func (st *state) enterPlan(p *evalPlan) bool {
	for _, a := range st.plans {
		if a == p {
			st.stop("$ref", "the unevaluated walk comes back to "+reprN(p.node)+" without end (Python: RecursionError)")
			return false
		}
	}
	st.plans = append(st.plans, p)
	return true
}

func (st *state) leavePlan() { st.plans = st.plans[:len(st.plans)-1] }

// errorsOf is len(list(validator.descend(instance, s))) for the same
// instance, without keeping the errors.
func (st *state) errorsOf(s *sch, v any) int {
	collect, mark := st.collect, len(st.errs)
	st.collect = true
	s.eval(v, st)
	n := len(st.errs) - mark
	st.errs, st.collect = st.errs[:mark], collect
	return n
}

// validOther is is_valid on another value than the current instance.
func (st *state) validOther(s *sch, v any) bool {
	collect := st.collect
	st.collect = false
	ok := st.evalOther(s, v)
	st.collect = collect
	return ok
}

// props is find_evaluated_property_keys_by_schema.
func (p *evalPlan) props(v any, m map[string]any, st *state, out map[string]bool) {
	if st.fatal != nil || p.isBool {
		return
	}
	if p.err != nil {
		st.raise(p.err)
		return
	}
	if !st.enterPlan(p) {
		return
	}
	defer st.leavePlan()
	keys := sortedKeys(m)
	if p.ref != nil {
		p.ref.props(v, m, st, out)
	}
	for _, pk := range p.pkws {
		if pk.isBool {
			if pk.boolVal {
				for _, k := range keys {
					out[k] = true
				}
			}
			continue
		}
		for _, e := range pk.entries {
			val, has := m[e.name]
			if !has {
				continue
			}
			if e.err != nil {
				st.raise(e.err)
				return
			}
			if st.validOther(e.s, val) {
				out[e.name] = true
			}
		}
	}
	if len(p.pats) > 0 || p.patErr != nil {
		for _, k := range keys {
			for _, re := range p.pats {
				if !re.MatchString(k) {
					continue
				}
				if p.patErr != nil {
					st.raise(p.patErr)
					return
				}
				if st.validOther(p.patSchema, map[string]any{k: m[k]}) {
					out[k] = true
				}
			}
			if p.patErr != nil && len(p.pats) == 0 {
				st.raise(p.patErr)
				return
			}
		}
	}
	if p.depErr != nil {
		st.raise(p.depErr)
		return
	}
	for _, dp := range p.depSchemas {
		if _, has := m[dp.name]; has {
			dp.plan.props(v, m, st, out)
		}
	}
	p.applicators(v, st, func(sub *evalPlan) { sub.props(v, m, st, out) })
	if p.hasIf {
		p.ifThenElse(v, st, func(sub *evalPlan) { sub.props(v, m, st, out) })
	}
}

func (p *evalPlan) applicators(v any, st *state, walk func(*evalPlan)) {
	for _, a := range p.apps {
		if st.fatal != nil {
			return
		}
		if a.err != nil {
			st.raise(a.err)
			return
		}
		if st.errorsOf(a.s, v) == 0 && st.fatal == nil {
			walk(a.plan)
		}
	}
}

func (p *evalPlan) ifThenElse(v any, st *state, walk func(*evalPlan)) {
	if st.fatal != nil {
		return
	}
	if p.ifErr != nil {
		st.raise(p.ifErr)
		return
	}
	if st.valid(p.ifSch, v) {
		walk(p.ifPlan)
		if p.thenPlan != nil {
			walk(p.thenPlan)
		}
	} else if p.elsePlan != nil && st.fatal == nil {
		walk(p.elsePlan)
	}
}

// items is find_evaluated_item_indexes_by_schema.
func (p *evalPlan) items(v any, l []any, st *state, out map[int]bool) {
	if st.fatal != nil || p.isBool {
		return
	}
	if p.err != nil {
		st.raise(p.err)
		return
	}
	if p.hasItems {
		for i := range l {
			out[i] = true
		}
		return
	}
	if !st.enterPlan(p) {
		return
	}
	defer st.leavePlan()
	if p.ref != nil {
		p.ref.items(v, l, st, out)
	}
	if p.prefixErr != nil {
		st.raise(p.prefixErr)
		return
	}
	for i := 0; i < p.prefix; i++ {
		out[i] = true
	}
	if p.hasIf {
		p.ifThenElse(v, st, func(sub *evalPlan) { sub.items(v, l, st, out) })
	}
	for _, ck := range p.itemChecks {
		for i, e := range l {
			if st.fatal != nil {
				return
			}
			if ck.err != nil {
				st.raise(ck.err)
				return
			}
			if st.validOther(ck.s, e) {
				out[i] = true
			}
		}
	}
	p.applicators(v, st, func(sub *evalPlan) { sub.items(v, l, st, out) })
}

func (o *op) unevaluated(v any, k py.Kind, st *state) bool {
	st.ueKeyword = keywordName[o.kind]
	if o.kind == opUnevaluatedProperties {
		if k != py.DictKind {
			return true
		}
		m := v.(map[string]any)
		evaluated := map[string]bool{}
		o.ue.plan.props(v, m, st, evaluated)
		if st.fatal != nil {
			return false
		}
		var extras []string
		for _, key := range sortedKeys(m) {
			if evaluated[key] {
				continue
			}
			collect, mark := st.collect, len(st.errs)
			st.collect = true
			st.descend(o.sub, m[key], key, -1, o.kind)
			n := len(st.errs) - mark
			st.errs, st.collect = st.errs[:mark], collect
			for i := 0; i < n; i++ {
				extras = append(extras, key)
			}
		}
		if st.fatal != nil || len(extras) == 0 {
			return st.fatal == nil
		}
		sort.Strings(extras)
		return o.fail(st, func() string {
			reprs := make([]string, len(extras))
			for i, e := range extras {
				reprs[i] = py.Repr(e)
			}
			return "Unevaluated properties are not allowed (" + strings.Join(reprs, ", ") + " " + wasWere(len(extras)) + " unexpected)"
		})
	}
	if k != py.ListKind {
		return true
	}
	l := v.([]any)
	evaluated := map[int]bool{}
	o.ue.plan.items(v, l, st, evaluated)
	if st.fatal != nil {
		return false
	}
	var extras []any
	for i, e := range l {
		if !evaluated[i] {
			extras = append(extras, e)
		}
	}
	if len(extras) == 0 {
		return true
	}
	sorted, err := py.Sorted(extras, py.Less)
	if err != nil {
		st.stop("unevaluatedItems", "sorted() of the unevaluated items (Python raises TypeError: "+err.Error()+")")
		return false
	}
	return o.fail(st, func() string {
		reprs := make([]string, len(sorted))
		for i, e := range sorted {
			reprs[i] = py.Repr(e)
		}
		return "Unevaluated items are not allowed (" + strings.Join(reprs, ", ") + " " + wasWere(len(sorted)) + " unexpected)"
	})
}
