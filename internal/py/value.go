package py

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

// Kind is the Python type a decoded value has.
type Kind uint8

const (
	OtherKind Kind = iota // a Go type the decoders never produce
	NoneKind
	BoolKind
	IntKind
	FloatKind
	StrKind
	ListKind
	DictKind
)

// Num is a Python int (when IsInt: I, or Big when beyond int64) or float (F).
type Num struct {
	IsInt bool
	I     int64
	F     float64
	Big   *big.Int // an int outside int64 (YAML's 100000000000000000000)
}

// Classify maps a decoded Go value onto the Python type json.loads or
// yaml.safe_load would have produced. A json.Number is read by its
// literal: "1" is an int, "1.0" and "1e3" are floats.
func Classify(v any) (Kind, Num) {
	switch x := v.(type) {
	case nil:
		return NoneKind, Num{}
	case bool:
		return BoolKind, Num{}
	case string:
		return StrKind, Num{}
	case map[string]any:
		return DictKind, Num{}
	case []any:
		return ListKind, Num{}
	case int64:
		return IntKind, Num{IsInt: true, I: x}
	case int:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case float64:
		return FloatKind, Num{F: x}
	case *big.Int:
		if x.IsInt64() {
			return IntKind, Num{IsInt: true, I: x.Int64()}
		}
		return IntKind, Num{IsInt: true, Big: x}
	case json.Number:
		return numberLiteral(string(x))
	case int32:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case int16:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case int8:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case uint:
		return uintKind(uint64(x))
	case uint64:
		return uintKind(x)
	case uint32:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case uint16:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case uint8:
		return IntKind, Num{IsInt: true, I: int64(x)}
	case float32:
		return FloatKind, Num{F: float64(x)}
	}
	return OtherKind, Num{}
}

// uintKind: integers above int64 become floats (Python would keep them
// exact; no Rally option gets near).
func uintKind(x uint64) (Kind, Num) {
	if x > math.MaxInt64 {
		return FloatKind, Num{F: float64(x)}
	}
	return IntKind, Num{IsInt: true, I: int64(x)}
}

func numberLiteral(s string) (Kind, Num) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return IntKind, Num{IsInt: true, I: i}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return OtherKind, Num{}
	}
	return FloatKind, Num{F: f}
}

// AsNumber is the value as a Python number, bools included (True == 1 in
// ==, < and enum membership).
func AsNumber(v any) (Num, bool) {
	if b, ok := v.(bool); ok {
		if b {
			return Num{IsInt: true, I: 1}, true
		}
		return Num{IsInt: true}, true
	}
	k, n := Classify(v)
	return n, k == IntKind || k == FloatKind
}

func (n Num) Float() float64 {
	if n.Big != nil {
		f, _ := new(big.Float).SetInt(n.Big).Float64()
		return f
	}
	if n.IsInt {
		return float64(n.I)
	}
	return n.F
}

// rat is the number exactly (nil for NaN and the infinities).
func (n Num) Rat() *big.Rat {
	switch {
	case n.Big != nil:
		return new(big.Rat).SetInt(n.Big)
	case n.IsInt:
		return new(big.Rat).SetInt64(n.I)
	}
	return new(big.Rat).SetFloat64(n.F)
}

// Compare compares exactly, as Python does between int and float
// (9007199254740993 != 9007199254740992.0). ok is false for NaN.
func Compare(a, b Num) (c int, ok bool) {
	if a.Big != nil || b.Big != nil {
		return cmpBig(a, b)
	}
	switch {
	case a.IsInt && b.IsInt:
		return cmp3(a.I, b.I), true
	case !a.IsInt && !b.IsInt:
		if math.IsNaN(a.F) || math.IsNaN(b.F) {
			return 0, false
		}
		return cmp3(a.F, b.F), true
	case a.IsInt:
		c, ok := cmpIntFloat(a.I, b.F)
		return c, ok
	default:
		c, ok := cmpIntFloat(b.I, a.F)
		return -c, ok
	}
}

// cmpBig compares when one side is an int beyond int64: exactly, an
// infinity beyond any int.
func cmpBig(a, b Num) (int, bool) {
	inf := func(n Num) int {
		if !n.IsInt && math.IsInf(n.F, 0) {
			if n.F > 0 {
				return 1
			}
			return -1
		}
		return 0
	}
	if (!a.IsInt && math.IsNaN(a.F)) || (!b.IsInt && math.IsNaN(b.F)) {
		return 0, false
	}
	if ia, ib := inf(a), inf(b); ia != 0 || ib != 0 {
		return cmp3(int64(ia), int64(ib)), true
	}
	return a.Rat().Cmp(b.Rat()), true
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

// Equal is Python's == between decoded JSON/YAML values (True == 1 == 1.0,
// containers compared element by element with the same ==).
func Equal(a, b any) bool {
	if na, ok := AsNumber(a); ok {
		nb, ok := AsNumber(b)
		if !ok {
			return false
		}
		c, ok := Compare(na, nb)
		return ok && c == 0
	}
	ka, _ := Classify(a)
	kb, _ := Classify(b)
	if ka != kb {
		return false
	}
	switch ka {
	case NoneKind:
		return true
	case StrKind:
		return a.(string) == b.(string)
	case ListKind:
		x, y := a.([]any), b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case DictKind:
		x, y := a.(map[string]any), b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// ErrUnorderable is the TypeError Python raises for a < b.
var ErrUnorderable = errors.New("'<' not supported")

// Less is Python's a < b for decoded values; ErrUnorderable where
// Python raises TypeError (dicts, None, mixed types).
func Less(a, b any) (bool, error) {
	if na, ok := AsNumber(a); ok {
		nb, ok := AsNumber(b)
		if !ok {
			return false, ErrUnorderable
		}
		c, ok := Compare(na, nb)
		return ok && c < 0, nil
	}
	ka, _ := Classify(a)
	kb, _ := Classify(b)
	if ka != kb {
		return false, ErrUnorderable
	}
	switch ka {
	case StrKind:
		// Byte order of UTF-8 is code point order.
		return a.(string) < b.(string), nil
	case ListKind:
		x, y := a.([]any), b.([]any)
		for i := 0; i < len(x) && i < len(y); i++ {
			if !Equal(x[i], y[i]) {
				return Less(x[i], y[i])
			}
		}
		return len(x) < len(y), nil
	}
	return false, ErrUnorderable
}

// Sorted is sorted(items) as CPython 3.11 runs it: count_run on the
// whole list, reversing a strictly descending prefix, then binary
// insertion. For lists shorter than 64 items that is exactly CPython's
// sequence of comparisons, which matters because a TypeError on any
// comparison is what sends jsonschema's uniq() to its other algorithm;
// longer lists would be merged by CPython, with the same result when no
// comparison raises. less is Less, or a variant of it (jsonschema's
// unbool).
func Sorted(items []any, less func(a, b any) (bool, error)) ([]any, error) {
	out := append([]any(nil), items...)
	n := len(out)
	if n < 2 {
		return out, nil
	}
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

// WriteRepr writes Python's repr() of a decoded value. Dict keys come out
// sorted: a Go map has no order, and encoding/json (which fed the Python
// side in the tests) writes them sorted too.
func WriteRepr(b *strings.Builder, v any) {
	k, n := Classify(v)
	switch k {
	case NoneKind:
		b.WriteString("None")
	case BoolKind:
		if v.(bool) {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case IntKind, FloatKind:
		WriteNum(b, n)
	case StrKind:
		WriteStrRepr(b, v.(string))
	case ListKind:
		b.WriteByte('[')
		for i, e := range v.([]any) {
			if i > 0 {
				b.WriteString(", ")
			}
			WriteRepr(b, e)
		}
		b.WriteByte(']')
	case DictKind:
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
			WriteStrRepr(b, k)
			b.WriteString(": ")
			WriteRepr(b, m[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

func Repr(v any) string {
	var b strings.Builder
	WriteRepr(&b, v)
	return b.String()
}

func WriteNum(b *strings.Builder, n Num) {
	if n.Big != nil {
		b.WriteString(n.Big.String())
		return
	}
	if n.IsInt {
		b.WriteString(strconv.FormatInt(n.I, 10))
		return
	}
	b.WriteString(FloatRepr(n.F))
}

// FloatRepr is Python's Repr(float): the shortest round-tripping digits,
// positional when the decimal exponent is in (-4, 16], scientific with a
// two-digit exponent otherwise; integral values keep ".0".
func FloatRepr(f float64) string {
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

// WriteStrRepr is Python's Repr(str): single quotes unless the text has a
// single quote and no double quote; \t \n \r \\ and the quote escaped;
// other non-printable characters as \xhh, \uhhhh or \Uhhhhhhhh. Go's
// unicode.IsPrint and str.isprintable agree (letters, marks, numbers,
// punctuation, symbols, ASCII space) up to Unicode version differences.
func WriteStrRepr(b *strings.Builder, s string) {
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
