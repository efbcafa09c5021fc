package jsonschema

import (
	"strings"

	"github.com/rallyforge/rallyforge/internal/py"
)

// jsEqual is jsonschema._utils.equal: Python == except that a bool only
// equals the same bool, at every depth (used by uniqueItems).
func jsEqual(a, b any) bool {
	_, as := a.(string)
	_, bs := b.(string)
	if as || bs {
		return as && bs && a.(string) == b.(string)
	}
	ka, _ := py.Classify(a)
	kb, _ := py.Classify(b)
	if ka == py.ListKind && kb == py.ListKind {
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
	if ka == py.DictKind && kb == py.DictKind {
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
	return py.Equal(a, b)
}

// uniq is jsonschema._utils.uniq: sort the items (bools as sentinels) and
// compare neighbours with equal(); if sorting raises, compare every pair.
// The sorted route can miss duplicates that do not end up adjacent
// ([[1], [True], [1]] is "unique" to it); that is Python's answer, so it is
// this one's too.
func uniq(items []any) bool {
	if sorted, err := py.Sorted(items, unboolLess); err == nil {
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

// reprNode writes Python's repr() of a schema value, keys in document order.
func reprNode(b *strings.Builder, n *node) {
	switch n.kind {
	case py.DictKind:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			py.WriteStrRepr(b, k)
			b.WriteString(": ")
			reprNode(b, n.vals[i])
		}
		b.WriteByte('}')
	case py.ListKind:
		b.WriteByte('[')
		for i, e := range n.arr {
			if i > 0 {
				b.WriteString(", ")
			}
			reprNode(b, e)
		}
		b.WriteByte(']')
	case py.IntKind, py.FloatKind:
		py.WriteNum(b, n.n)
	default:
		py.WriteRepr(b, n.value())
	}
}

func reprN(n *node) string {
	var b strings.Builder
	reprNode(&b, n)
	return b.String()
}

// unboolLess is Python's < on unbool()ed values: a bool is jsonschema's
// sentinel object, which orders with nothing.
func unboolLess(a, b any) (bool, error) {
	_, x := a.(bool)
	_, y := b.(bool)
	if x || y {
		return false, py.ErrUnorderable
	}
	return py.Less(a, b)
}
