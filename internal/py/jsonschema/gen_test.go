package jsonschema

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/py"
)

// This file builds test instances for a schema: one value meant to be
// valid, built from the schema, and mutations of it at every location
// (wrong types, missing and extra keys, numbers just outside limits,
// floats for ints, bools for numbers, empty containers, duplicates).

// genValid builds a value that tries to satisfy the schema node.
func genValid(root, n *node, depth int) any {
	if depth > 6 || n == nil {
		return "x"
	}
	if n.kind == py.BoolKind {
		return "x"
	}
	if n.kind != py.DictKind {
		return nil
	}
	if ref, ok := n.get("$ref"); ok && ref.kind == py.StrKind && strings.HasPrefix(ref.s, "#") {
		c := &compiler{root: root}
		if t, err := c.fragment(root, strings.Trim(ref.s[1:], "/")); err == nil {
			return genValid(root, t, depth+1)
		}
		return "x"
	}
	if e, ok := n.get("enum"); ok && e.kind == py.ListKind && len(e.arr) > 0 {
		return e.arr[0].value()
	}
	if c, ok := n.get("const"); ok {
		return c.value()
	}
	typ := ""
	if t, ok := n.get("type"); ok {
		switch t.kind {
		case py.StrKind:
			typ = t.s
		case py.ListKind:
			for _, x := range t.arr {
				if x.kind == py.StrKind && (typ == "" || typ == "null") {
					typ = x.s
				}
			}
		}
	}
	if typ == "" {
		for _, alt := range []string{"allOf", "anyOf", "oneOf"} {
			if a, ok := n.get(alt); ok && a.kind == py.ListKind && len(a.arr) > 0 {
				return genValid(root, a.arr[0], depth+1)
			}
		}
		switch {
		case has(n, "properties", "required", "additionalProperties", "patternProperties", "minProperties", "dependencies",
			"propertyNames", "dependentRequired", "dependentSchemas", "unevaluatedProperties"):
			typ = "object"
		case has(n, "items", "minItems", "maxItems", "uniqueItems", "additionalItems", "prefixItems", "contains", "unevaluatedItems"):
			typ = "array"
		case has(n, "minLength", "maxLength", "pattern"):
			typ = "string"
		case has(n, "minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum"):
			typ = "number"
		default:
			return "x"
		}
	}
	switch typ {
	case "null":
		return nil
	case "boolean":
		return true
	case "integer", "number":
		return genNumber(n, typ == "integer")
	case "string":
		return genString(n)
	case "array":
		return genArray(root, n, depth)
	case "object":
		return genObject(root, n, depth)
	}
	return "x"
}

func has(n *node, keys ...string) bool {
	for _, k := range keys {
		if _, ok := n.get(k); ok {
			return true
		}
	}
	return false
}

func numOf(n *node, key string) (float64, bool) {
	v, ok := n.get(key)
	if !ok || !isNumber(v) {
		return 0, false
	}
	return v.n.Float(), true
}

func genNumber(n *node, integer bool) any {
	x := 1.0
	if lo, ok := numOf(n, "minimum"); ok {
		x = lo
		if e, ok := n.get("exclusiveMinimum"); ok && e.truthy() {
			x = lo + 1
		}
	} else if lo, ok := numOf(n, "exclusiveMinimum"); ok { // draft 6+
		x = lo + 1
	} else if hi, ok := numOf(n, "maximum"); ok {
		x = math.Min(hi, 1)
	} else if hi, ok := numOf(n, "exclusiveMaximum"); ok {
		x = math.Min(hi-1, 1)
	}
	if m, ok := numOf(n, "multipleOf"); ok && m > 0 {
		x = math.Ceil(x/m) * m
	}
	if integer {
		return int64(math.Ceil(x))
	}
	if x == math.Trunc(x) {
		return x + 0.5
	}
	return x
}

var stringCandidates = []string{"abc", "x", "name", "a-b_c", "ABC", "10.0.0.0/24", "http://example.com/x", "round_robin", "1", "abc123", "m1.tiny", "/tmp/file"}

func genString(n *node) any {
	lo, _ := numOf(n, "minLength")
	hi, hasHi := numOf(n, "maxLength")
	var re func(string) bool
	if p, ok := n.get("pattern"); ok && p.kind == py.StrKind {
		if r, err := compilePattern(p.s); err == nil {
			re = r.MatchString
		}
	}
	cands := append([]string(nil), stringCandidates...)
	if lo > 0 {
		cands = append(cands, strings.Repeat("a", int(lo)))
	}
	for _, c := range cands {
		l := float64(len([]rune(c)))
		if l >= lo && (!hasHi || l <= hi) && (re == nil || re(c)) {
			return c
		}
	}
	return "abc"
}

func genArray(root, n *node, depth int) any {
	items, _ := n.get("items")
	count := 1
	if lo, ok := numOf(n, "minItems"); ok && int(lo) > count {
		count = int(lo)
	}
	var out []any
	if p, ok := n.get("prefixItems"); ok && p.kind == py.ListKind {
		for _, it := range p.arr {
			out = append(out, genValid(root, it, depth+1))
		}
		if items == nil || items.kind == py.BoolKind {
			return out
		}
		count = 1
	}
	if c, ok := n.get("contains"); ok && items == nil {
		out = append(out, genValid(root, c, depth+1))
		return out
	}
	switch {
	case items != nil && items.kind == py.ListKind:
		for _, it := range items.arr {
			out = append(out, genValid(root, it, depth+1))
		}
	case items != nil:
		for i := 0; i < count; i++ {
			v := genValid(root, items, depth+1)
			if s, ok := v.(string); ok && i > 0 {
				v = s + strconv.Itoa(i) // keep uniqueItems happy
			} else if x, ok := v.(int64); ok && i > 0 {
				v = x + int64(i)
			}
			out = append(out, v)
		}
	default:
		for i := 0; i < count; i++ {
			out = append(out, "item"+strconv.Itoa(i))
		}
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func genObject(root, n *node, depth int) any {
	m := map[string]any{}
	props, _ := n.get("properties")
	if props != nil && props.kind == py.DictKind {
		for i, k := range props.keys {
			m[k] = genValid(root, props.vals[i], depth+1)
		}
	}
	if req, ok := n.get("required"); ok && req.kind == py.ListKind {
		for _, r := range req.arr {
			if r.kind == py.StrKind {
				if _, ok := m[r.s]; !ok {
					m[r.s] = "x"
				}
			}
		}
	}
	if pp, ok := n.get("patternProperties"); ok && pp.kind == py.DictKind {
		for i, p := range pp.keys {
			for _, c := range stringCandidates {
				if re, err := compilePattern(p); err == nil && re.MatchString(c) {
					m[c] = genValid(root, pp.vals[i], depth+1)
					break
				}
			}
		}
	}
	return m
}

// replacements are values put in place of any location.
var replacements = []any{
	"x", "", int64(0), int64(1), int64(-1), 1.0, 1.5, 0.0, -2.5, true, false, nil,
	[]any{}, map[string]any{}, []any{int64(1), "a"}, map[string]any{"a": int64(1)},
	int64(9007199254740993), 1e16, 1e-05, 123456789012345.6, "ünïcødé ☃", "abc\n", "it's",
	[]any{int64(1), 1.0}, []any{true, int64(1)}, []any{[]any{int64(1)}, []any{true}},
}

// mutations returns variants of v, changed at every location.
func mutations(v any) []any {
	var out []any
	var walk func(cur any, set func(any) any)
	walk = func(cur any, set func(any) any) {
		for _, r := range replacements {
			out = append(out, set(r))
		}
		switch x := cur.(type) {
		case int64:
			for _, y := range []any{x - 1, x + 1, float64(x), float64(x) + 0.5, -x, x * 1000000, float64(x) - 0.5} {
				out = append(out, set(y))
			}
		case float64:
			for _, y := range []any{x - 1, x + 1, math.Trunc(x), int64(x), -x, x / 3} {
				out = append(out, set(y))
			}
		case string:
			for _, y := range []any{strings.Repeat(x, 40), x + "\n", strings.ToUpper(x) + "!", "é" + x} {
				out = append(out, set(y))
			}
		case []any:
			if len(x) > 0 {
				out = append(out, set(append(append([]any{}, x...), x[0])))
				out = append(out, set(x[:len(x)-1]))
			}
			out = append(out, set(append(append([]any{}, x...), "extra", int64(7))))
			for i := range x {
				walk(x[i], func(r any) any {
					c := append([]any{}, x...)
					c[i] = r
					return set(c)
				})
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, extra := range []map[string]any{{"zz_extra": int64(1)}, {"Extra-Key": "x", "another": true}, {"0": nil}} {
				c := copyMap(x)
				for k, e := range extra {
					c[k] = e
				}
				out = append(out, set(c))
			}
			for _, k := range keys {
				c := copyMap(x)
				delete(c, k)
				out = append(out, set(c))
			}
			for _, k := range keys {
				walk(x[k], func(r any) any {
					c := copyMap(x)
					c[k] = r
					return set(c)
				})
			}
		}
	}
	walk(v, func(r any) any { return r })
	return out
}

func copyMap(m map[string]any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	return c
}

// encodeValue writes JSON that Python's json.loads and decodeInstance
// read back as the same Python types: floats always carry a '.' or an
// exponent, ints never do; object keys sorted.
func encodeValue(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		b.WriteString(s)
	case string:
		j, _ := json.Marshal(x)
		b.Write(j)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			encodeValue(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			j, _ := json.Marshal(k)
			b.Write(j)
			b.WriteByte(':')
			encodeValue(b, x[k])
		}
		b.WriteByte('}')
	default:
		panic("encodeValue: unexpected " + strconv.Quote(strings.TrimSpace(b.String())))
	}
}

func encode(v any) string {
	var b bytes.Buffer
	encodeValue(&b, v)
	return b.String()
}

// decodeInstance decodes JSON as Python would type it: integer literals
// become int64, other numbers float64. With keepNumbers the json.Number
// values are left for Validate to read.
func decodeInstance(text string, keepNumbers bool) (any, error) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if keepNumbers {
		return v, nil
	}
	return convertNumbers(v), nil
}

func convertNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			if i, err := x.Int64(); err == nil {
				return i
			}
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case []any:
		for i := range x {
			x[i] = convertNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = convertNumbers(x[k])
		}
	}
	return v
}
