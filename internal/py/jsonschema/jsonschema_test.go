package jsonschema

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py"
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

const (
	d4URL    = `"$schema": "http://json-schema.org/draft-04/schema#", `
	d7URL    = `"$schema": "http://json-schema.org/draft-07/schema", `
	d2019URL = `"$schema": "https://json-schema.org/draft/2019-09/schema", `
)

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct{ schema, want string }{
		// check_schema: the draft's metaschema rejects the schema.
		{`{"type": "any"}`, "#/type is not a valid 2020-12 schema (Python raises SchemaError): 'any' is not valid under any of the given schemas"},
		{`{` + d4URL + `"exclusiveMinimum": 0, "minimum": 1}`, "#/exclusiveMinimum is not a valid draft-04 schema (Python raises SchemaError): 0 is not of type 'boolean'"},
		{`{` + d7URL + `"exclusiveMinimum": true}`, "draft-07 schema (Python raises SchemaError): True is not of type 'number'"},
		{`{` + d4URL + `"required": []}`, "[] is too short"},
		{`{"properties": {"a": 1}}`, "#/properties/a is not a valid 2020-12 schema"},
		{`{"multipleOf": 0}`, "0 is less than or equal to the minimum of 0"},
		{`{"items": [{}]}`, "#/items is not a valid 2020-12 schema"},
		{`{"$defs": {"a": {"minimum": "1"}}}`, "#/$defs/a/minimum is not a valid 2020-12 schema"},
		// References Python cannot resolve, or this package does not follow.
		{`{"$ref": "http://json-schema.org/draft-04/schema#"}`, "a reference to the metaschema"},
		{`{"properties": {"a": {"$ref": "other.json#/definitions/x"}}}`, "#/properties/a/$ref: remote reference"},
		{`{"properties": {"a": {"$ref": "#/definitions/missing"}}}`, `unresolvable reference '#/definitions/missing'`},
		// Under an "$id", "#/x" is looked up in that subschema (found by
		// _find_in_subschemas), not in the root.
		{`{"x": {}, "properties": {"a": {"$id": "http://x/sub.json", "items": {"$ref": "#/x"}}}}`, "unresolvable reference 'http://x/sub.json#/x'"},
		{`{"properties": {"a": {"$id": "http://x/sub.json", "items": {"$ref": "http://x/other.json"}}}}`, "remote reference 'http://x/other.json'"},
		{`{"$defs": {"a": {"$anchor": "meta"}}, "$dynamicRef": "#meta"}`, "only a $dynamicRef whose target"},
		{`{"unevaluatedProperties": 1}`, "#/unevaluatedProperties is not a valid 2020-12 schema"},
		{`{` + d2019URL + `"properties": {"a": {"unevaluatedItems": 1}}}`, "#/properties/a/unevaluatedItems: must be a schema"},
		{`{"$schema": "http://json-schema.org/draft-03/schema#"}`, "draft-03 schemas are not supported"},
		{`{"properties": {"a": {"$schema": "http://json-schema.org/draft-03/schema#"}}}`, "#/properties/a: draft-03 schemas are not supported"},
		// What Python would crash on, where no metaschema looks (draft 4
		// has no $ref in its metaschema; 2019-09 checks only the top level).
		{`{` + d4URL + `"$ref": 5}`, "#/$ref: must be a string, not integer"},
		{`{` + d2019URL + `"properties": {"a": {"type": "any"}}}`, "#/properties/a/type: unknown type 'any'"},
		{`{` + d2019URL + `"properties": {"a": {"minimum": "1"}}}`, "#/properties/a/minimum: must be a number"},
		{`{` + d2019URL + `"properties": {"a": {"items": 1}}}`, "#/properties/a/items: must be a schema or an array of schemas"},
		{`{` + d7URL + `"items": true, "additionalItems": false}`, "#/items: boolean with additionalItems (Python raises TypeError)"},
		{`{` + d4URL + `"pattern": "(?<=a)b"}`, "#/pattern:"},
		{`{"patternProperties": {"(": {}}}`, "#/patternProperties:"},
		{`{"$schema": 5}`, "#/$schema: must be a string, not integer"},
		// Found by the fuzzer: a relative root $id joins onto itself at
		// every entry, so the scopes grow without end.
		{`{"$id":"://m/r/","properties":{"":{"$ref":"/"}}}`, "more than 64 resolution scopes"},
		{`{"$id":"0/","properties":{"":{"$ref":"0"}}}`, "grows past 4096 characters"},
		{`5`, "the schema must be an object or a boolean"},
		{`{"a": 1} x`, "extra data"},
		{`{"minimum": 99999999999999999999}`, "out of range"},
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

// validator_for: "$schema" by its URL after urlsplit/geturl (an empty
// fragment or query, the scheme's case, leading blanks and tabs do not
// matter), anything else the latest draft; a subschema's "$schema"
// switches the class below it, as evolve() does.
func TestDraftSelection(t *testing.T) {
	for _, c := range []struct {
		schema string
		want   draft
	}{
		{`{}`, draft2020},
		{`true`, draft2020},
		{`{"$schema": "http://json-schema.org/draft-04/schema"}`, draft4},
		{`{"$schema": "http://json-schema.org/draft-04/schema#"}`, draft4},
		{`{"$schema": "HTTP://json-schema.org/draft-06/schema?#"}`, draft6},
		{`{"$schema": " http://json-schema.org/draft-07/sch\tema#"}`, draft7},
		{`{"$schema": "http://json-schema.org/draft-07/schema#foo"}`, draft2020},
		{`{"$schema": "http://json-schema.org/draft-07/schema "}`, draft2020},
		{`{"$schema": "https://json-schema.org/draft/2019-09/schema"}`, draft2019},
		{`{"$schema": "https://json-schema.org/draft/2020-12/schema#"}`, draft2020},
		{`{"$schema": "http://example.com/my-draft"}`, draft2020},
	} {
		s, err := Compile([]byte(c.schema))
		if err != nil {
			t.Errorf("Compile(%s): %v", c.schema, err)
			continue
		}
		if s.draft != c.want {
			t.Errorf("Compile(%s): %s, want %s", c.schema, s.draft, c.want)
		}
	}

	// 1.0 is an integer from draft 6 on; a numeric exclusiveMinimum is a
	// bound from draft 6 on (draft 4's metaschema rejects it).
	for _, c := range []struct {
		schema string
		v      any
		want   string
	}{
		{`{` + d4URL + `"type": "integer"}`, 1.0, "1.0 is not of type 'integer'"},
		{`{` + d7URL + `"type": "integer"}`, 1.0, ""},
		{`{"type": "integer"}`, 1.5, "1.5 is not of type 'integer'"},
		{`{` + d7URL + `"exclusiveMinimum": 0.0, "type": "number"}`, 0.0, "0.0 is less than or equal to the minimum of 0.0"},
		{`{` + d7URL + `"exclusiveMaximum": 3}`, int64(3), "3 is greater than or equal to the maximum of 3"},
		{`{` + d4URL + `"minimum": 0, "exclusiveMinimum": true}`, int64(0), "0 is less than or equal to the minimum of 0"},
		{`{"properties": {"a": {` + d4URL + `"type": "integer"}}}`, map[string]any{"a": 2.0}, "2.0 is not of type 'integer'"},
		{`{` + d4URL + `"properties": {"a": {"$schema": "http://json-schema.org/draft-06/schema#", "type": "integer"}}}`, map[string]any{"a": 2.0}, ""},
	} {
		s, err := Compile([]byte(c.schema))
		if err != nil {
			t.Fatalf("Compile(%s): %v", c.schema, err)
		}
		got := ""
		if errs := s.Validate(c.v); len(errs) > 0 {
			got = errs[0].Message
		}
		if got != c.want {
			t.Errorf("%s on %v: %q, want %q", c.schema, c.v, got, c.want)
		}
	}
}

// The catalog's schemas all pass their draft's check_schema (the
// differential test compares every one with Python's verdict).
func TestCatalogSchemasCompile(t *testing.T) {
	cat := catalog.MustLoad()
	n := map[draft]int{}
	for _, l := range [][]catalog.Plugin{cat.Contexts, cat.Runners, cat.SLAs, cat.HookActions, cat.HookTriggers} {
		for _, p := range l {
			if len(p.Schema) == 0 {
				continue
			}
			s, err := Compile(p.Schema)
			if err != nil {
				t.Errorf("%s: %v", p.Name, err)
				continue
			}
			n[s.draft]++
		}
	}
	if n[draft4] < 40 || n[draft7] < 5 || n[draft2020] < 3 {
		t.Errorf("catalog schemas by draft: %v; want the installed Rally's 46 draft-04, 5 draft-07 and 3 without $schema", n)
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
		if got := py.FloatRepr(f); got != want {
			t.Errorf("py.FloatRepr(%v) = %s, want %s", f, got, want)
		}
	}
}

// An int beyond int64 (YAML's 100000000000000000000, which PyYAML reads
// as an int) is an integer, compared and divided exactly; messages as
// Python jsonschema 4.10.3 prints them.
func TestBigInts(t *testing.T) {
	s, err := Compile([]byte(`{"$schema":"http://json-schema.org/draft-04/schema","type":"integer","minimum":1,"maximum":5,"multipleOf":3}`))
	if err != nil {
		t.Fatal(err)
	}
	e20, _ := new(big.Int).SetString("100000000000000000000", 10)
	for _, c := range []struct {
		v    *big.Int
		want []string
	}{
		{e20, []string{"100000000000000000000 is greater than the maximum of 5", "100000000000000000000 is not a multiple of 3"}},
		{new(big.Int).Mul(e20, big.NewInt(3)), []string{"300000000000000000000 is greater than the maximum of 5"}},
		{new(big.Int).Neg(e20), []string{"-100000000000000000000 is less than the minimum of 1", "-100000000000000000000 is not a multiple of 3"}},
	} {
		var got []string
		for _, e := range s.Validate(c.v) {
			got = append(got, e.Message)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%v: got %q, want %q", c.v, got, c.want)
		}
	}
}
