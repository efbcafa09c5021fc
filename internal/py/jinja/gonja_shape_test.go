package jinja

import (
	"reflect"
	"strings"
	"testing"

	cs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// undeclared.go reads unexported fields of gonja's control structures
// (hidden), because gonja exposes no other way to them; gonja is pinned
// (go.mod: v2.9.1) for that reason. If an upgrade renames, removes or
// retypes any of these fields, this test fails by name; without it the
// analysis would silently see nothing there and Rally's missing-argument
// check would pass templates Rally refuses.
func TestGonjaPrivateFieldShapes(t *testing.T) {
	expr := reflect.TypeOf((*nodes.Expression)(nil)).Elem()
	wrapper := reflect.TypeOf(&nodes.Wrapper{})
	cases := []struct {
		of    any
		field string
		want  reflect.Type
	}{
		{cs.SetControlStructure{}, "target", expr},
		{cs.SetControlStructure{}, "body", wrapper},
		{cs.SetControlStructure{}, "condition", expr},
		{cs.SetControlStructure{}, "expression", expr},
		{cs.SetControlStructure{}, "alternative", expr},
		{cs.WithControlStructure{}, "pairs", reflect.TypeOf(map[string]nodes.Expression{})},
		{cs.WithControlStructure{}, "wrapper", wrapper},
		{cs.FilterControlStructure{}, "filterChain", reflect.TypeOf([]*nodes.FilterCall{})},
		{cs.FilterControlStructure{}, "bodyWrapper", wrapper},
		{cs.ImportControlStructure{}, "filenameExpression", expr},
		{cs.ImportControlStructure{}, "as", reflect.TypeOf("")},
		{cs.IncludeControlStructure{}, "filenameExpression", expr},
	}
	for _, c := range cases {
		typ := reflect.TypeOf(c.of)
		f, ok := typ.FieldByName(c.field)
		if !ok {
			t.Errorf("gonja %s has no field %q any more: update hidden()'s callers in undeclared.go", typ, c.field)
			continue
		}
		if f.Type != c.want {
			t.Errorf("gonja %s.%s is %s, undeclared.go expects %s", typ, c.field, f.Type, c.want)
		}
	}
	// hidden itself: it must read what the fields hold.
	set := &cs.SetControlStructure{}
	if hidden(set, "target") != nil || hidden(set, "nosuchfield") != nil {
		t.Error("hidden on an empty SetControlStructure")
	}
}

// The names read inside set, with and filter blocks (the constructs that
// need hidden) are found, and those they define are not.
func TestUndeclaredThroughPrivateFields(t *testing.T) {
	src := "{% set x = a %}{% set y %}{{ b }}{% endset %}{% with z = c %}{{ z }}{{ d }}{% endwith %}" +
		"{% filter upper %}{{ e }}{{ x }}{% endfilter %}"
	tpl, err := parse(".", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(undeclared(tpl.Root()), " ")
	if got != "a b c d e" {
		t.Errorf("undeclared = %q, want \"a b c d e\"", got)
	}
}
