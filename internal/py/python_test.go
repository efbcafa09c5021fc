package py

import (
	"math"
	"math/big"
	"testing"
)

// What CPython 3.11 answers for str(), type(x).__name__, bool(), `in`,
// float() and int() on the values the decoders produce.
func TestPythonSemantics(t *testing.T) {
	big20, _ := new(big.Int).SetString("100000000000000000000", 10)
	for v, want := range map[any]string{nil: "None", true: "True", 2.0: "2.0", 1e16: "1e+16", 1e-5: "1e-05", "x": "x", int64(-3): "-3", Timestamp("2020-01-02"): "2020-01-02"} {
		if got := Str(v); got != want {
			t.Errorf("str(%#v) = %q, want %q", v, got, want)
		}
	}
	if got := Str([]any{"a'b", int64(1), map[string]any{"k": nil}}); got != `["a'b", 1, {'k': None}]` {
		t.Errorf("str(list) = %s", got)
	}
	if got := Str(big20); got != "100000000000000000000" {
		t.Errorf("str(big) = %s", got)
	}
	for v, want := range map[any]string{nil: "NoneType", false: "bool", int64(1): "int", 1.5: "float", "": "str", Timestamp("2020-01-02"): "datetime.date"} {
		if got := TypeName(v); got != want {
			t.Errorf("type(%#v) = %s, want %s", v, got, want)
		}
	}
	if TypeName([]any{}) != "list" || TypeName(map[string]any{}) != "dict" || TypeName(big20) != "int" {
		t.Error("type of a container or a big int")
	}
	for _, v := range []any{nil, false, "", int64(0), 0.0, []any{}, map[string]any{}} {
		if Truthy(v) {
			t.Errorf("bool(%#v) is True", v)
		}
	}
	if !Truthy("0") || !Truthy([]any{nil}) || !Truthy(big20) {
		t.Error("bool of a non-empty value is False")
	}
	if in, err := In("a", "cat"); !in || err != nil {
		t.Error(`"a" in "cat"`)
	}
	if in, err := In("1", []any{int64(1), "1"}); !in || err != nil {
		t.Error(`"1" in [1, "1"]`)
	}
	if _, err := In("a", int64(1)); err == nil || err.Error() != "argument of type 'int' is not iterable" {
		t.Errorf(`"a" in 1: %v`, err)
	}
	for _, c := range []struct {
		v       any
		intOnly bool
		want    float64
		ok      bool
	}{
		{"1_000", true, 1000, true}, {" 7 ", true, 7, true}, {"1.5", true, 0, false}, {"1_", false, 0, false},
		{"-Infinity", false, math.Inf(-1), true}, {"1e3", false, 1000, true}, {"1e3", true, 0, false},
		{true, true, 1, true}, {"", false, 0, false}, {"+-1", false, 0, false}, {nil, false, 0, false},
	} {
		got, ok := Number(c.v, c.intOnly)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Number(%#v, %v) = %v, %v; want %v, %v", c.v, c.intOnly, got, ok, c.want, c.ok)
		}
	}
	if !Equal(true, int64(1)) || !Equal(int64(1), 1.0) || Equal("1", int64(1)) || !Equal([]any{int64(1)}, []any{1.0}) {
		t.Error("== of bool, int, float, str, list")
	}
}
