package pyschema

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

func usersSchema(tb testing.TB) *Schema {
	tb.Helper()
	p, ok := catalog.MustLoad().Context("users")
	if !ok || len(p.Schema) == 0 {
		tb.Fatal("no users context schema in the catalog")
	}
	s, err := Compile(p.Schema)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// The users context is an anyOf of "create users" and "existing users":
// a bad config yields one anyOf error whose Causes hold one child per
// alternative, grouped when an alternative has several errors.
func TestCausesOnePerAlternative(t *testing.T) {
	s := usersSchema(t)
	errs := s.Validate(map[string]any{"tenants": int64(0), "users_per_tenant": "3", "bogus": true})
	if len(errs) != 1 || errs[0].Keyword != "anyOf" || len(errs[0].Path) != 0 {
		t.Fatalf("want one top-level anyOf error, got %v", dump(errs))
	}
	causes := errs[0].Causes
	if len(causes) != 2 {
		t.Fatalf("want 2 causes (one per alternative), got %v", dump(causes))
	}
	first := causes[0]
	if !first.group || first.Keyword != "anyOf" || len(first.Causes) != 3 {
		t.Fatalf("first alternative: want a group of 3 errors, got %v", dump([]*Error{first}))
	}
	want := map[string]bool{
		"tenants minimum 0 is less than the minimum of 1":                                      true,
		"users_per_tenant type '3' is not of type 'integer'":                                   true,
		" additionalProperties Additional properties are not allowed ('bogus' was unexpected)": true,
	}
	for _, c := range first.Causes {
		k := strings.Join(c.Path, "/") + " " + c.Keyword + " " + c.Message
		if !want[k] {
			t.Errorf("unexpected cause %q", k)
		}
	}
	second := causes[1]
	if second.group || second.Keyword != "additionalProperties" ||
		second.Message != "Additional properties are not allowed ('bogus', 'tenants', 'users_per_tenant' were unexpected)" {
		t.Errorf("second alternative: got %v", dump([]*Error{second}))
	}
	if got := s.Validate(map[string]any{"tenants": int64(2), "users_per_tenant": int64(3)}); got != nil {
		t.Errorf("valid config: got %v", dump(got))
	}
}

func dump(errs []*Error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %v %s %q (%d causes)", e.Path, e.Keyword, e.Message, len(e.Causes))
	}
	return b.String()
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct{ schema, want string }{
		{`{"$ref": "http://json-schema.org/draft-04/schema#"}`, "remote reference"},
		{`{"properties": {"a": {"$ref": "other.json#/definitions/x"}}}`, "#/properties/a/$ref: remote reference"},
		{`{"properties": {"a": {"$ref": "#/definitions/missing"}}}`, `unresolvable reference "#/definitions/missing"`},
		{`{"$ref": 5}`, "$ref: must be a string"},
		{`{"type": "any"}`, "#/type: unknown type 'any'"},
		{`{"type": 1}`, "#/type: must be a string or an array of strings"},
		{`{"pattern": "(?<=a)b"}`, "#/pattern:"},
		{`{"patternProperties": {"(": {}}}`, "#/patternProperties:"},
		{`{"items": true}`, "#/items: must be an object or an array"},
		{`{"properties": {"a": 1}}`, "#/properties/a: a schema must be an object, not integer"},
		{`{"multipleOf": 0}`, "non-zero number"},
		{`{"minimum": "1"}`, "#/minimum: must be a number"},
		{`{"enum": {"a": 1}}`, "#/enum: must be an array"},
		{`true`, "the schema must be an object"},
		{`{"a": 1} x`, "extra data"},
		{`{"minimum": 99999999999999999999}`, "out of range"},
		{`{"properties": {"a": {"id": "sub.json", "items": {"$ref": "#/x"}}}}`, "not supported"},
	} {
		_, err := Compile([]byte(c.schema))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%s) = %v, want an error containing %q", c.schema, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Compile(%s): error is not one line: %q", c.schema, err)
		}
	}
}

// A $ref that comes back to the same value, a schema whose alternatives
// multiply, and a value that contains itself all end promptly with one
// error where Python would raise RecursionError or run for ever.
func TestRecursionIsBounded(t *testing.T) {
	self, err := Compile([]byte(`{"$ref": "#"}`))
	if err != nil {
		t.Fatal(err)
	}
	errs := self.Validate(map[string]any{"a": int64(1)})
	if len(errs) != 1 || errs[0].Keyword != "$ref" || !strings.Contains(errs[0].Message, "RecursionError") {
		t.Errorf(`{"$ref": "#"}: got %v`, dump(errs))
	}

	// d0 → oneOf [d1, d1] → ... → d40: 2^40 paths.
	var defs []string
	for i := 0; i < 40; i++ {
		defs = append(defs, fmt.Sprintf(`"d%d": {"oneOf": [{"$ref": "#/definitions/d%d"}, {"$ref": "#/definitions/d%d"}]}`, i, i+1, i+1))
	}
	defs = append(defs, `"d40": {"type": "string"}`)
	blowup, err := Compile([]byte(`{"definitions": {` + strings.Join(defs, ",") + `}, "$ref": "#/definitions/d0"}`))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	errs = blowup.Validate(int64(1))
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "steps") {
		t.Errorf("exponential schema: got %v", dump(errs))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("exponential schema took %v", d)
	}

	tree, err := Compile([]byte(`{"properties": {"a": {"$ref": "#"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	loop := map[string]any{}
	loop["a"] = loop
	errs = tree.Validate(loop)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "nested more than") || len(errs[0].Path) != maxDepth {
		t.Errorf("self-containing value: got %d errors", len(errs))
	}
}

func TestPyFloatRepr(t *testing.T) {
	// Values checked against CPython 3.11's repr().
	for f, want := range map[float64]string{
		1: "1.0", 0.1: "0.1", 1e16: "1e+16", 1234567890123456: "1234567890123456.0",
		0.0001: "0.0001", 0.00001: "1e-05", 1.5e300: "1.5e+300", 5e-324: "5e-324",
		-2.5: "-2.5", 123456789012345.6: "123456789012345.6", 1e22: "1e+22",
	} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
