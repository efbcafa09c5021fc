package jsonschema

import (
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rallyforge/rallyforge/internal/py"
)

const (
	// maxSteps bounds one Validate call: oneOf/anyOf over $refs can
	// multiply work exponentially (Python would run for ever as well).
	maxSteps = 1 << 20
	// maxDepth bounds instance nesting (a Go map may even contain itself).
	maxDepth = 512
)

type pathElem struct {
	key string
	idx int // -1 for an object key
}

type state struct {
	path    []pathElem
	errs    []*Error
	collect bool // false: stop at the first error, as is_valid() does
	// active are the $ref targets being applied to the current instance
	// location (from levelStart on): meeting one again means Python
	// would recurse until RecursionError.
	active     []*sch
	levelStart int
	steps      int
	// fatal is where Python would have raised (RecursionError) rather
	// than reported: validation stops and this is the only error.
	fatal *Error
	// plans are the unevaluated* walks in progress; ueKeyword the keyword.
	plans     []*evalPlan
	ueKeyword string
}

func (st *state) pathStrings() []string {
	if len(st.path) == 0 {
		return nil
	}
	out := make([]string, len(st.path))
	for i, p := range st.path {
		if p.idx >= 0 {
			out[i] = strconv.Itoa(p.idx)
		} else {
			out[i] = p.key
		}
	}
	return out
}

func (st *state) stop(kw, msg string) {
	if st.fatal == nil {
		st.fatal = &Error{Path: st.pathStrings(), Keyword: kw, Message: msg}
	}
}

func (st *state) add(kw, msg string) {
	st.errs = append(st.errs, &Error{Path: st.pathStrings(), Keyword: kw, Message: msg})
}

// descend applies sub to a child of the current instance.
func (st *state) descend(sub *sch, v any, key string, idx int, kw opKind) bool {
	if len(st.path) >= maxDepth {
		st.stop(keywordName[kw], "instance nested more than "+strconv.Itoa(maxDepth)+" levels deep (Python: RecursionError)")
		return false
	}
	st.path = append(st.path, pathElem{key: key, idx: idx})
	ok := st.evalOther(sub, v)
	st.path = st.path[:len(st.path)-1]
	return ok
}

// descendSame applies sub to another value at the same instance path
// (propertyNames checks each key where the object is).
func (st *state) descendSame(sub *sch, v any) bool {
	return st.evalOther(sub, v)
}

// evalOther applies sub to another value than the current instance: the
// $refs and unevaluated walks in progress are the old value's.
func (st *state) evalOther(sub *sch, v any) bool {
	start, plans := st.levelStart, st.plans
	st.levelStart, st.plans = len(st.active), plans[len(plans):]
	ok := sub.eval(v, st)
	st.levelStart, st.plans = start, plans
	return ok
}

// valid is is_valid(): the verdict only, no errors kept.
func (st *state) valid(sub *sch, v any) bool {
	collect := st.collect
	st.collect = false
	ok := sub.eval(v, st)
	st.collect = collect
	return ok
}

func (s *sch) eval(v any, st *state) bool {
	if st.fatal != nil {
		return false
	}
	if st.steps++; st.steps > maxSteps {
		st.stop("$ref", "validation stopped after "+strconv.Itoa(maxSteps)+" steps: the schema's alternatives multiply without end")
		return false
	}
	if s.isBool {
		if !s.boolVal && st.collect {
			st.add("false", "False schema does not allow "+py.Repr(v))
		}
		return s.boolVal
	}
	k, n := py.Classify(v)
	ok := true
	for i := range s.ops {
		if !s.ops[i].check(v, k, n, st) {
			ok = false
			if !st.collect {
				return false
			}
		}
	}
	return ok
}

func isNum(k py.Kind) bool { return k == py.IntKind || k == py.FloatKind }

func (o *op) fail(st *state, msg func() string) bool {
	if st.collect {
		st.add(keywordName[o.kind], msg())
	}
	return false
}

// lenCmp compares a length with the keyword's (int or float) limit.
func (o *op) lenCmp(l int) int {
	c, _ := py.Compare(py.Num{IsInt: true, I: int64(l)}, o.n)
	return c
}

func (o *op) check(v any, k py.Kind, n py.Num, st *state) bool {
	switch o.kind {
	case opType:
		if o.typeMask&(1<<k) == 0 && !(o.intFloat && k == py.FloatKind && o.typeMask&(1<<py.IntKind) != 0 && isIntegral(n.F)) {
			return o.fail(st, func() string {
				var b strings.Builder
				b.WriteString(py.Repr(v))
				b.WriteString(" is not of type ")
				if o.val.kind == py.StrKind {
					reprNode(&b, o.val)
				}
				for i, t := range o.val.arr {
					if i > 0 {
						b.WriteString(", ")
					}
					reprNode(&b, t)
				}
				return b.String()
			})
		}
	case opEnum:
		if !o.inEnum(v) {
			return o.fail(st, func() string { return py.Repr(v) + " is not one of " + reprN(o.val) })
		}
	case opMinimum, opMaximum, opExclusiveMinimum, opExclusiveMaximum:
		if !isNum(k) {
			return true
		}
		c, ok := py.Compare(n, o.n)
		upper := o.kind == opMaximum || o.kind == opExclusiveMaximum
		if upper {
			c = -c
		}
		excl := o.excl || o.kind == opExclusiveMinimum || o.kind == opExclusiveMaximum
		if !ok || c > 0 || c == 0 && !excl {
			return true
		}
		return o.fail(st, func() string {
			what, limit := "less than", "minimum"
			if upper {
				what, limit = "greater than", "maximum"
			}
			if excl {
				what += " or equal to"
			}
			return py.Repr(v) + " is " + what + " the " + limit + " of " + reprN(o.val)
		})
	case opMultipleOf:
		if isNum(k) && notMultiple(n, o.n) {
			return o.fail(st, func() string { return py.Repr(v) + " is not a multiple of " + reprN(o.val) })
		}
	case opMinLength, opMaxLength:
		if k != py.StrKind {
			return true
		}
		c := o.lenCmp(utf8.RuneCountInString(v.(string)))
		if o.kind == opMinLength && c < 0 {
			return o.fail(st, func() string { return py.Repr(v) + " is too short" })
		}
		if o.kind == opMaxLength && c > 0 {
			return o.fail(st, func() string { return py.Repr(v) + " is too long" })
		}
	case opPattern:
		if k == py.StrKind && !o.re.MatchString(v.(string)) {
			return o.fail(st, func() string { return py.Repr(v) + " does not match " + reprN(o.val) })
		}
	case opMinItems, opMaxItems:
		if k != py.ListKind {
			return true
		}
		c := o.lenCmp(len(v.([]any)))
		if o.kind == opMinItems && c < 0 {
			return o.fail(st, func() string { return py.Repr(v) + " is too short" })
		}
		if o.kind == opMaxItems && c > 0 {
			return o.fail(st, func() string { return py.Repr(v) + " is too long" })
		}
	case opUniqueItems:
		if k == py.ListKind && !uniq(v.([]any)) {
			return o.fail(st, func() string { return py.Repr(v) + " has non-unique elements" })
		}
	case opItems, opPrefixItems:
		if k != py.ListKind {
			return true
		}
		l := v.([]any)
		if o.itemsFalse && len(l) > o.nItems {
			return o.fail(st, func() string {
				return "Expected at most " + strconv.Itoa(o.nItems) + " items, but found " + strconv.Itoa(len(l))
			})
		}
		ok := true
		for i, e := range l {
			sub := o.sub
			if sub == nil {
				if i >= len(o.subs) {
					break
				}
				sub = o.subs[i]
			} else if i < o.nItems {
				continue // 2020-12 items: after prefixItems
			}
			if !st.descend(sub, e, "", i, o.kind) {
				ok = false
				if !st.collect {
					return false
				}
			}
		}
		return ok
	case opAdditionalItems:
		if k != py.ListKind {
			return true
		}
		l := v.([]any)
		if len(l) <= o.nItems {
			return true
		}
		if o.sub != nil {
			ok := true
			for i := o.nItems; i < len(l); i++ {
				if !st.descend(o.sub, l[i], "", i, o.kind) {
					ok = false
					if !st.collect {
						return false
					}
				}
			}
			return ok
		}
		if !o.allow {
			extras, err := py.Sorted(l[o.nItems:], py.Less)
			if err != nil {
				// extras_msg sorts them: Python raises even under is_valid.
				st.stop(keywordName[o.kind], "sorted() of the additional items (Python raises TypeError: "+err.Error()+")")
				return false
			}
			return o.fail(st, func() string {
				reprs := make([]string, len(extras))
				for i, e := range extras {
					reprs[i] = py.Repr(e)
				}
				return "Additional items are not allowed (" + strings.Join(reprs, ", ") + " " + wasWere(len(extras)) + " unexpected)"
			})
		}
	case opConst:
		if !jsEqual(v, o.enum[0]) {
			return o.fail(st, func() string { return reprN(o.val) + " was expected" })
		}
	case opContains:
		if k != py.ListKind {
			return true
		}
		return o.contains(v, v.([]any), st)
	case opPropertyNames:
		if k != py.DictKind {
			return true
		}
		ok := true
		for _, key := range sortedKeys(v.(map[string]any)) {
			if !st.descendSame(o.sub, key) {
				ok = false
				if !st.collect {
					return false
				}
			}
		}
		return ok
	case opIf:
		if st.valid(o.sub, v) {
			if o.then != nil {
				return o.then.eval(v, st)
			}
		} else if o.els != nil {
			return o.els.eval(v, st)
		}
	case opDependentSchemas:
		if k != py.DictKind {
			return true
		}
		m := v.(map[string]any)
		ok := true
		for _, p := range o.props {
			if _, has := m[p.name]; has && !p.s.eval(v, st) {
				ok = false
				if !st.collect {
					return false
				}
			}
		}
		return ok
	case opUnevaluatedItems, opUnevaluatedProperties:
		return o.unevaluated(v, k, st)
	case opProperties:
		if k != py.DictKind {
			return true
		}
		m := v.(map[string]any)
		ok := true
		if o.propIndex != nil && len(m) < len(o.props)/2 {
			// Few keys, many properties (a metaschema checking a
			// schema): the present ones by the index, in schema order.
			var buf [16]int
			present := buf[:0]
			for key := range m {
				if i, has := o.propIndex[key]; has {
					present = append(present, i)
				}
			}
			slices.Sort(present)
			for _, i := range present {
				p := &o.props[i]
				if !st.descend(p.s, m[p.name], p.name, -1, o.kind) {
					ok = false
					if !st.collect {
						return false
					}
				}
			}
			return ok
		}
		for _, p := range o.props {
			if e, has := m[p.name]; has {
				if !st.descend(p.s, e, p.name, -1, o.kind) {
					ok = false
					if !st.collect {
						return false
					}
				}
			}
		}
		return ok
	case opPatternProperties:
		if k != py.DictKind {
			return true
		}
		m := v.(map[string]any)
		keys := sortedKeys(m)
		ok := true
		for _, p := range o.props {
			for _, key := range keys {
				if p.re.MatchString(key) && !st.descend(p.s, m[key], key, -1, o.kind) {
					ok = false
					if !st.collect {
						return false
					}
				}
			}
		}
		return ok
	case opAdditionalProperties:
		if k != py.DictKind {
			return true
		}
		return o.additionalProperties(v, v.(map[string]any), st)
	case opRequired:
		if k != py.DictKind {
			return true
		}
		if o.val.kind == py.BoolKind {
			st.stop(keywordName[o.kind], "\"required\": "+reprN(o.val)+" on an object (Python raises TypeError: 'bool' object is not iterable)")
			return false
		}
		m := v.(map[string]any)
		ok := true
		for _, nm := range o.names {
			if !nm.in(m) {
				ok = o.fail(st, func() string { return nm.repr() + " is a required property" })
				if !st.collect {
					return false
				}
			}
		}
		return ok
	case opMinProperties, opMaxProperties:
		if k != py.DictKind {
			return true
		}
		c := o.lenCmp(len(v.(map[string]any)))
		if o.kind == opMinProperties && c < 0 {
			return o.fail(st, func() string { return py.Repr(v) + " does not have enough properties" })
		}
		if o.kind == opMaxProperties && c > 0 {
			return o.fail(st, func() string { return py.Repr(v) + " has too many properties" })
		}
	case opDependencies, opDependentRequired:
		if k != py.DictKind {
			return true
		}
		m := v.(map[string]any)
		ok := true
		for _, d := range o.deps {
			if _, has := m[d.name]; !has {
				continue
			}
			if d.s != nil {
				if !d.s.eval(v, st) {
					ok = false
				}
			} else {
				for _, nm := range d.names {
					if !nm.in(m) {
						ok = o.fail(st, func() string { return nm.repr() + " is a dependency of " + py.Repr(d.name) })
					}
				}
			}
			if !ok && !st.collect {
				return false
			}
		}
		return ok
	case opAllOf:
		ok := true
		for _, sub := range o.subs {
			if !sub.eval(v, st) {
				ok = false
				if !st.collect {
					return false
				}
			}
		}
		return ok
	case opAnyOf, opOneOf:
		return o.anyOneOf(v, st)
	case opNot:
		if st.valid(o.sub, v) {
			return o.fail(st, func() string { return py.Repr(v) + " should not be valid under " + reprN(o.sub.node) })
		}
	case opRef, opDynamicRef:
		target := o.ref.target
		for _, a := range st.active[st.levelStart:] {
			if a == target {
				st.stop("$ref", "$ref "+py.Repr(o.ref.ref)+" applies its schema to "+py.Repr(v)+" again without end (Python: RecursionError)")
				return false
			}
		}
		st.active = append(st.active, target)
		ok := target.eval(v, st)
		st.active = st.active[:len(st.active)-1]
		return ok
	}
	return true
}

func (o *op) inEnum(v any) bool {
	// Python: `if instance == 0 or instance == 1` compare with unbool()
	// so True is not 1; otherwise plain `in` (==, so 1 == 1.0 == True).
	if py.Equal(v, int64(0)) || py.Equal(v, int64(1)) {
		for _, e := range o.enum {
			if unboolEq(v, e) {
				return true
			}
		}
		return false
	}
	for _, e := range o.enum {
		if py.Equal(v, e) {
			return true
		}
	}
	return false
}

// notMultiple is the multipleOf test of Python's jsonschema: float
// division and an integrality check for a float divisor (exact fractions
// when the quotient overflows), % for an int one.
func notMultiple(x, d py.Num) bool {
	if !d.IsInt {
		q := x.Float() / d.F
		if math.IsInf(q, 0) {
			a, b := new(big.Rat), new(big.Rat)
			if x.IsInt {
				a = x.Rat()
			} else if a.SetFloat64(x.F) == nil {
				return true
			}
			if b.SetFloat64(d.F) == nil {
				return true
			}
			return !a.Quo(a, b).IsInt()
		}
		return math.IsNaN(q) || q != math.Trunc(q)
	}
	if x.Big != nil {
		return new(big.Int).Rem(x.Big, big.NewInt(d.I)).Sign() != 0
	}
	if x.IsInt {
		return x.I%d.I != 0
	}
	r := math.Mod(x.F, float64(d.I))
	return r != 0 // NaN (inf % d) is truthy too
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (o *op) isExtra(key string) bool {
	if _, ok := o.propSet[key]; ok {
		return false
	}
	if o.noPatMatch {
		return true
	}
	for _, re := range o.pats {
		if re.MatchString(key) {
			return false
		}
	}
	return true
}

func (o *op) additionalProperties(v any, m map[string]any, st *state) bool {
	if o.allow {
		return true
	}
	var extras []string
	for key := range m {
		if o.isExtra(key) {
			extras = append(extras, key)
		}
	}
	if len(extras) == 0 {
		return true
	}
	sort.Strings(extras)
	if o.sub != nil {
		ok := true
		for _, key := range extras {
			if !st.descend(o.sub, m[key], key, -1, o.kind) {
				ok = false
				if !st.collect {
					return false
				}
			}
		}
		return ok
	}
	return o.fail(st, func() string {
		reprs := make([]string, len(extras))
		for i, e := range extras {
			reprs[i] = py.Repr(e)
		}
		joined := strings.Join(reprs, ", ")
		if o.hasPats {
			verb := "does"
			if len(extras) > 1 {
				verb = "do"
			}
			return joined + " " + verb + " not match any of the regexes: " + o.patsReprs
		}
		return "Additional properties are not allowed (" + joined + " " + wasWere(len(extras)) + " unexpected)"
	})
}

// anyOneOf runs anyOf and oneOf as Python does: alternatives in order
// until one is valid, keeping the failures of those before it as the
// error's context; oneOf then asks is_valid of the remaining ones.
func (o *op) anyOneOf(v any, st *state) bool {
	if !st.collect {
		valid := 0
		for _, sub := range o.subs {
			if sub.eval(v, st) {
				valid++
				if o.kind == opAnyOf || valid > 1 {
					break
				}
			}
		}
		if st.fatal != nil {
			return false
		}
		if o.kind == opAnyOf {
			return valid > 0
		}
		return valid == 1
	}
	mark := len(st.errs)
	first := -1
	var causes []*Error
	for i, sub := range o.subs {
		if sub.eval(v, st) {
			first = i
			break
		}
		errs := st.errs[mark:]
		switch len(errs) {
		case 0: // stopped (st.fatal)
		case 1:
			causes = append(causes, errs[0])
		default:
			causes = append(causes, &Error{
				Path: st.pathStrings(), Keyword: keywordName[o.kind],
				Message: "alternative " + strconv.Itoa(i) + " has " + strconv.Itoa(len(errs)) + " errors",
				Causes:  append([]*Error(nil), errs...), group: true,
			})
		}
		st.errs = st.errs[:mark]
	}
	ok := true
	if first < 0 {
		ok = false
		st.errs = append(st.errs, &Error{Path: st.pathStrings(), Keyword: keywordName[o.kind],
			Message: py.Repr(v) + " is not valid under any of the given schemas", Causes: causes})
	}
	if o.kind == opOneOf && first >= 0 {
		var more []*sch
		for _, sub := range o.subs[first+1:] {
			if st.valid(sub, v) {
				more = append(more, sub)
			}
		}
		if len(more) > 0 {
			more = append(more, o.subs[first])
			reprs := make([]string, len(more))
			for i, s := range more {
				reprs[i] = reprN(s.node)
			}
			ok = o.fail(st, func() string { return py.Repr(v) + " is valid under each of " + strings.Join(reprs, ", ") })
		}
	}
	return ok
}

func isIntegral(f float64) bool {
	return !math.IsInf(f, 0) && f == math.Trunc(f)
}

func (nm name) in(m map[string]any) bool {
	if !nm.str {
		return false
	}
	_, has := m[nm.s]
	return has
}

// contains is draft 6/7's contains (any item valid) and 2019-09's, which
// counts the valid items against minContains (default 1) and maxContains
// (default the length), stopping at the first item past the maximum.
func (o *op) contains(v any, l []any, st *state) bool {
	if o.legacy {
		for _, e := range l {
			if st.valid(o.sub, e) {
				return true
			}
			if st.fatal != nil {
				return false
			}
		}
		return o.fail(st, func() string { return "None of " + py.Repr(v) + " are valid under the given schema" })
	}
	minC := py.Num{IsInt: true, I: 1}
	if o.minC != nil {
		minC, _ = numLimit(o.minC)
	}
	maxC := py.Num{IsInt: true, I: int64(len(l))}
	if o.maxC != nil {
		maxC, _ = numLimit(o.maxC)
	}
	matches := 0
	for _, e := range l {
		if !st.valid(o.sub, e) {
			if st.fatal != nil {
				return false
			}
			continue
		}
		matches++
		if c, ok := py.Compare(py.Num{IsInt: true, I: int64(matches)}, maxC); ok && c > 0 {
			if st.collect {
				st.add("maxContains", "Too many items match the given schema (expected at most "+limitStr(o.maxC, maxC)+")")
			}
			return false
		}
	}
	if c, ok := py.Compare(py.Num{IsInt: true, I: int64(matches)}, minC); ok && c < 0 {
		if matches == 0 {
			return o.fail(st, func() string { return py.Repr(v) + " does not contain items matching the given schema" })
		}
		if st.collect {
			st.add("minContains", "Too few items match the given schema (expected at least "+limitStr(o.minC, minC)+" but only "+strconv.Itoa(matches)+" matched)")
		}
		return false
	}
	return true
}

// limitStr is str() of a limit: as written, or the default's digits.
func limitStr(n *node, v py.Num) string {
	if n != nil {
		return reprN(n)
	}
	var b strings.Builder
	py.WriteNum(&b, v)
	return b.String()
}
