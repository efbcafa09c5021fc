package pyschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is the Python type a decoded value has.
type kind uint8

const (
	kOther kind = iota // a Go type the decoders never produce
	kNull
	kBool
	kInt
	kFloat
	kString
	kArray
	kObject
)

// num is a Python int (when isInt: i, or b when beyond int64) or float.
type num struct {
	isInt bool
	i     int64
	f     float64
	b     *big.Int // an int outside int64 (YAML's 100000000000000000000)
}

// classify maps a decoded Go value onto the Python type json.loads or
// yaml.safe_load would have produced. A json.Number is read by its
// literal: "1" is an int, "1.0" and "1e3" are floats.
func classify(v any) (kind, num) {
	switch x := v.(type) {
	case nil:
		return kNull, num{}
	case bool:
		return kBool, num{}
	case string:
		return kString, num{}
	case map[string]any:
		return kObject, num{}
	case []any:
		return kArray, num{}
	case int64:
		return kInt, num{isInt: true, i: x}
	case int:
		return kInt, num{isInt: true, i: int64(x)}
	case float64:
		return kFloat, num{f: x}
	case *big.Int:
		if x.IsInt64() {
			return kInt, num{isInt: true, i: x.Int64()}
		}
		return kInt, num{isInt: true, b: x}
	case json.Number:
		return numberLiteral(string(x))
	case int32:
		return kInt, num{isInt: true, i: int64(x)}
	case int16:
		return kInt, num{isInt: true, i: int64(x)}
	case int8:
		return kInt, num{isInt: true, i: int64(x)}
	case uint:
		return uintKind(uint64(x))
	case uint64:
		return uintKind(x)
	case uint32:
		return kInt, num{isInt: true, i: int64(x)}
	case uint16:
		return kInt, num{isInt: true, i: int64(x)}
	case uint8:
		return kInt, num{isInt: true, i: int64(x)}
	case float32:
		return kFloat, num{f: float64(x)}
	}
	return kOther, num{}
}

// uintKind: integers above int64 become floats (Python would keep them
// exact; no Rally option gets near).
func uintKind(x uint64) (kind, num) {
	if x > math.MaxInt64 {
		return kFloat, num{f: float64(x)}
	}
	return kInt, num{isInt: true, i: int64(x)}
}

func numberLiteral(s string) (kind, num) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return kInt, num{isInt: true, i: i}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return kOther, num{}
	}
	return kFloat, num{f: f}
}

// asNumber is the value as a Python number, bools included (True == 1 in
// ==, < and enum membership).
func asNumber(v any) (num, bool) {
	if b, ok := v.(bool); ok {
		if b {
			return num{isInt: true, i: 1}, true
		}
		return num{isInt: true}, true
	}
	k, n := classify(v)
	return n, k == kInt || k == kFloat
}

func (n num) float() float64 {
	if n.b != nil {
		f, _ := new(big.Float).SetInt(n.b).Float64()
		return f
	}
	if n.isInt {
		return float64(n.i)
	}
	return n.f
}

// rat is the number exactly (nil for NaN and the infinities).
func (n num) rat() *big.Rat {
	switch {
	case n.b != nil:
		return new(big.Rat).SetInt(n.b)
	case n.isInt:
		return new(big.Rat).SetInt64(n.i)
	}
	return new(big.Rat).SetFloat64(n.f)
}

// cmpNum compares exactly, as Python does between int and float
// (9007199254740993 != 9007199254740992.0). ok is false for NaN.
func cmpNum(a, b num) (c int, ok bool) {
	if a.b != nil || b.b != nil {
		return cmpBig(a, b)
	}
	switch {
	case a.isInt && b.isInt:
		return cmp3(a.i, b.i), true
	case !a.isInt && !b.isInt:
		if math.IsNaN(a.f) || math.IsNaN(b.f) {
			return 0, false
		}
		return cmp3(a.f, b.f), true
	case a.isInt:
		c, ok := cmpIntFloat(a.i, b.f)
		return c, ok
	default:
		c, ok := cmpIntFloat(b.i, a.f)
		return -c, ok
	}
}

// cmpBig compares when one side is an int beyond int64: exactly, an
// infinity beyond any int.
func cmpBig(a, b num) (int, bool) {
	inf := func(n num) int {
		if !n.isInt && math.IsInf(n.f, 0) {
			if n.f > 0 {
				return 1
			}
			return -1
		}
		return 0
	}
	if (!a.isInt && math.IsNaN(a.f)) || (!b.isInt && math.IsNaN(b.f)) {
		return 0, false
	}
	if ia, ib := inf(a), inf(b); ia != 0 || ib != 0 {
		return cmp3(int64(ia), int64(ib)), true
	}
	return a.rat().Cmp(b.rat()), true
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpIntFloat(i int64, f float64) (int, bool) {
	if math.IsNaN(f) {
		return 0, false
	}
	if f >= 0x1p63 {
		return -1, true
	}
	if f < -0x1p63 {
		return 1, true
	}
	// Rounding int64 to float64 is monotonic, so a strict difference after
	// rounding is the true order; equal after rounding means f is integral
	// and fits int64 (or i was exact), so compare as integers.
	if r := float64(i); r != f {
		return cmp3(r, f), true
	}
	return cmp3(i, int64(f)), true
}

// pyEq is Python's == between decoded JSON/YAML values (True == 1 == 1.0,
// containers compared element by element with the same ==).
func pyEq(a, b any) bool {
	if na, ok := asNumber(a); ok {
		nb, ok := asNumber(b)
		if !ok {
			return false
		}
		c, ok := cmpNum(na, nb)
		return ok && c == 0
	}
	ka, _ := classify(a)
	kb, _ := classify(b)
	if ka != kb {
		return false
	}
	switch ka {
	case kNull:
		return true
	case kString:
		return a.(string) == b.(string)
	case kArray:
		x, y := a.([]any), b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEq(x[i], y[i]) {
				return false
			}
		}
		return true
	case kObject:
		x, y := a.(map[string]any), b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !pyEq(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// jsEqual is jsonschema._utils.equal: Python == except that a bool only
// equals the same bool, at every depth (used by uniqueItems).
func jsEqual(a, b any) bool {
	_, as := a.(string)
	_, bs := b.(string)
	if as || bs {
		return as && bs && a.(string) == b.(string)
	}
	ka, _ := classify(a)
	kb, _ := classify(b)
	if ka == kArray && kb == kArray {
		x, y := a.([]any), b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if ka == kObject && kb == kObject {
		x, y := a.(map[string]any), b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsEqual(v, w) {
				return false
			}
		}
		return true
	}
	return unboolEq(a, b)
}

// unboolEq is `unbool(a) == unbool(b)`: True and False become private
// sentinels, so they only equal themselves; anything else uses ==.
func unboolEq(a, b any) bool {
	x, aok := a.(bool)
	y, bok := b.(bool)
	if aok || bok {
		return aok && bok && x == y
	}
	return pyEq(a, b)
}

var errUnorderable = errors.New("'<' not supported")

// pyLess is Python's a < b for decoded values; errUnorderable where
// Python raises TypeError (dicts, None, mixed types). With unbool, a bool
// is jsonschema's sentinel object, which orders with nothing.
func pyLess(a, b any, unbool bool) (bool, error) {
	if unbool {
		_, x := a.(bool)
		_, y := b.(bool)
		if x || y {
			return false, errUnorderable
		}
	}
	if na, ok := asNumber(a); ok {
		nb, ok := asNumber(b)
		if !ok {
			return false, errUnorderable
		}
		c, ok := cmpNum(na, nb)
		return ok && c < 0, nil
	}
	ka, _ := classify(a)
	kb, _ := classify(b)
	if ka != kb {
		return false, errUnorderable
	}
	switch ka {
	case kString:
		// Byte order of UTF-8 is code point order.
		return a.(string) < b.(string), nil
	case kArray:
		x, y := a.([]any), b.([]any)
		for i := 0; i < len(x) && i < len(y); i++ {
			if !pyEq(x[i], y[i]) {
				return pyLess(x[i], y[i], false)
			}
		}
		return len(x) < len(y), nil
	}
	return false, errUnorderable
}

// pySorted is sorted(items) as CPython 3.11 runs it: count_run on the
// whole list, reversing a strictly descending prefix, then binary
// insertion. For lists shorter than 64 items that is exactly CPython's
// sequence of comparisons, which matters because a TypeError on any
// comparison is what sends jsonschema's uniq() to its other algorithm;
// longer lists would be merged by CPython, with the same result when no
// comparison raises.
func pySorted(items []any, unbool bool) ([]any, error) {
	out := append([]any(nil), items...)
	n := len(out)
	if n < 2 {
		return out, nil
	}
	less := func(a, b any) (bool, error) { return pyLess(a, b, unbool) }
	// count_run
	run := 2
	lt, err := less(out[1], out[0])
	if err != nil {
		return nil, err
	}
	if lt {
		for ; run < n; run++ {
			lt, err := less(out[run], out[run-1])
			if err != nil {
				return nil, err
			}
			if !lt {
				break
			}
		}
		for i, j := 0, run-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	} else {
		for ; run < n; run++ {
			lt, err := less(out[run], out[run-1])
			if err != nil {
				return nil, err
			}
			if lt {
				break
			}
		}
	}
	// binarysort
	for start := run; start < n; start++ {
		pivot := out[start]
		l, r := 0, start
		for l < r {
			p := l + (r-l)>>1
			lt, err := less(pivot, out[p])
			if err != nil {
				return nil, err
			}
			if lt {
				r = p
			} else {
				l = p + 1
			}
		}
		copy(out[l+1:start+1], out[l:start])
		out[l] = pivot
	}
	return out, nil
}

// uniq is jsonschema._utils.uniq: sort the items (bools as sentinels) and
// compare neighbours with equal(); if sorting raises, compare every pair.
// The sorted route can miss duplicates that do not end up adjacent
// ([[1], [True], [1]] is "unique" to it); that is Python's answer, so it is
// this one's too.
func uniq(items []any) bool {
	if sorted, err := pySorted(items, true); err == nil {
		for i := 1; i < len(sorted); i++ {
			if jsEqual(sorted[i-1], sorted[i]) {
				return false
			}
		}
		return true
	}
	for i := range items {
		for j := 0; j < i; j++ {
			if jsEqual(items[j], items[i]) {
				return false
			}
		}
	}
	return true
}

// reprValue writes Python's repr() of a decoded value. Dict keys come out
// sorted: a Go map has no order, and encoding/json (which fed the Python
// side in the tests) writes them sorted too.
func reprValue(b *strings.Builder, v any) {
	k, n := classify(v)
	switch k {
	case kNull:
		b.WriteString("None")
	case kBool:
		if v.(bool) {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case kInt, kFloat:
		reprNum(b, n)
	case kString:
		reprString(b, v.(string))
	case kArray:
		b.WriteByte('[')
		for i, e := range v.([]any) {
			if i > 0 {
				b.WriteString(", ")
			}
			reprValue(b, e)
		}
		b.WriteByte(']')
	case kObject:
		m := v.(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			reprString(b, k)
			b.WriteString(": ")
			reprValue(b, m[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

// reprNode writes Python's repr() of a schema value, keys in document order.
func reprNode(b *strings.Builder, n *node) {
	switch n.kind {
	case kObject:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			reprString(b, k)
			b.WriteString(": ")
			reprNode(b, n.vals[i])
		}
		b.WriteByte('}')
	case kArray:
		b.WriteByte('[')
		for i, e := range n.arr {
			if i > 0 {
				b.WriteString(", ")
			}
			reprNode(b, e)
		}
		b.WriteByte(']')
	case kInt, kFloat:
		reprNum(b, n.n)
	default:
		reprValue(b, n.value())
	}
}

func repr(v any) string {
	var b strings.Builder
	reprValue(&b, v)
	return b.String()
}

func reprN(n *node) string {
	var b strings.Builder
	reprNode(&b, n)
	return b.String()
}

func reprNum(b *strings.Builder, n num) {
	if n.b != nil {
		b.WriteString(n.b.String())
		return
	}
	if n.isInt {
		b.WriteString(strconv.FormatInt(n.i, 10))
		return
	}
	b.WriteString(pyFloat(n.f))
}

// pyFloat is Python's repr(float): the shortest round-tripping digits,
// positional when the decimal exponent is in (-4, 16], scientific with a
// two-digit exponent otherwise; integral values keep ".0".
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // "-d.ddde±XX"
	sign := ""
	if e[0] == '-' {
		sign, e = "-", e[1:]
	}
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	decpt := x + 1
	if decpt > -4 && decpt <= 16 {
		switch {
		case decpt <= 0:
			return sign + "0." + strings.Repeat("0", -decpt) + digits
		case decpt >= len(digits):
			return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
		default:
			return sign + digits[:decpt] + "." + digits[decpt:]
		}
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	es := "+"
	if x < 0 {
		es, x = "-", -x
	}
	return fmt.Sprintf("%s%se%s%02d", sign, m, es, x)
}

// reprString is Python's repr(str): single quotes unless the text has a
// single quote and no double quote; \t \n \r \\ and the quote escaped;
// other non-printable characters as \xhh, \uhhhh or \Uhhhhhhhh. Go's
// unicode.IsPrint and str.isprintable agree (letters, marks, numbers,
// punctuation, symbols, ASCII space) up to Unicode version differences.
func reprString(b *strings.Builder, s string) {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case r != utf8.RuneError && unicode.IsPrint(r):
			b.WriteRune(r)
		case r == utf8.RuneError:
			b.WriteRune(r) // U+FFFD is printable in Python
		case r <= 0xff:
			fmt.Fprintf(b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			fmt.Fprintf(b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
}
