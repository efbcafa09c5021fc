// Package py is Python's value semantics for the values rallyforge decodes
// (nil, bool, int64, *big.Int, float64, string, []any, map[string]any and
// a PyYAML Timestamp): repr() and str(), type names, truth, ==, <, sorted(),
// `in`, float() and int(). Rally judges tasks with Python code, so every
// place that must answer as Rally does (the JSON Schema port, Rally's
// validators, the Jinja2 renderer) asks this package instead of keeping
// its own copy. Subpackages: jsonschema (Python's jsonschema), jinja (Jinja2
// as Rally renders tasks), yaml (PyYAML's safe_load with positions).
package py

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Timestamp is a plain scalar PyYAML reads as a date or datetime: no JSON
// type, so jsonschema rejects it wherever a type is required (Rally fails
// the same way). It keeps its text.
type Timestamp string

// StrRepr is Python's repr(str).
func StrRepr(s string) string {
	var b strings.Builder
	WriteStrRepr(&b, s)
	return b.String()
}

// Str is Python's str() of a decoded value, as Rally's messages format
// values with %s: a string as is, anything else by its repr.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Timestamp:
		return string(x)
	case *big.Int:
		return x.String()
	}
	return Repr(v)
}

// TypeName is type(v).__name__ of a decoded value.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	case Timestamp:
		return "datetime.date"
	}
	return fmt.Sprintf("%T", v)
}

// Truthy is Python's bool() of a decoded value.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// In is Python's `needle in container` for decoded values: a key of a
// dict, an item of a list, a substring of a string; the error is the
// TypeError Python raises for anything else.
func In(needle string, container any) (bool, error) {
	switch c := container.(type) {
	case map[string]any:
		_, ok := c[needle]
		return ok, nil
	case []any:
		for _, x := range c {
			if Equal(x, needle) {
				return true, nil
			}
		}
		return false, nil
	case string:
		return strings.Contains(c, needle), nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", TypeName(container))
}

// Number is float(v), or int(v) with intOnly, as Python converts: bools
// and numeric strings too; false where Python raises.
func Number(v any, intOnly bool) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, intOnly || !math.IsInf(f, 0) // float() of a huge int overflows
	case float64:
		return x, true
	case string:
		return parseNumber(x, intOnly)
	}
	return 0, false
}

// parseNumber is float(s) / int(s) of a string: surrounding white space,
// a sign, "_" between digits; float also takes inf, infinity and nan in
// any case; int only decimal digits.
func parseNumber(s string, intOnly bool) (float64, bool) {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return 0, false
	}
	if !intOnly {
		switch strings.ToLower(body) {
		case "inf", "infinity":
			if s[0] == '-' {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		case "nan":
			return math.NaN(), true
		}
	}
	prev := byte(0)
	for i := 0; i < len(body); i++ {
		c := body[i]
		isDigit := c >= '0' && c <= '9'
		switch {
		case isDigit:
		case c == '_':
			if !(prev >= '0' && prev <= '9') || i+1 >= len(body) || body[i+1] < '0' || body[i+1] > '9' {
				return 0, false
			}
		case intOnly:
			return 0, false
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			return 0, false
		}
		prev = c
	}
	clean := strings.ReplaceAll(s, "_", "")
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
