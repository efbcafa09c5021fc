package jsonschema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

// FuzzCompileValidate: any schema text and any instance text; Compile
// either refuses or gives a schema whose Validate returns (no panic, no
// endless recursion), the same errors for int64/float64 and json.Number
// decodings, and errors that all carry a keyword and a message. Without
// -fuzz it runs the seeds: every catalog schema and testdata schema with
// its instances, and self-referencing schemas.
//
//	go test -fuzz FuzzCompileValidate -fuzztime 60s ./internal/py/jsonschema
func FuzzCompileValidate(f *testing.F) {
	cat := catalog.MustLoad()
	for _, l := range [][]catalog.Plugin{cat.Contexts, cat.Runners, cat.SLAs, cat.HookActions, cat.HookTriggers} {
		for _, p := range l {
			if len(p.Schema) > 0 {
				f.Add(string(p.Schema), `{"tenants": 2, "users_per_tenant": 1.0, "x": [1, true, null]}`)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "schemas.json"))
	if err != nil {
		f.Fatal(err)
	}
	var hand []struct {
		Schema    json.RawMessage   `json:"schema"`
		Instances []json.RawMessage `json:"instances"`
	}
	if err := json.Unmarshal(data, &hand); err != nil {
		f.Fatal(err)
	}
	for _, h := range hand {
		for _, in := range h.Instances {
			f.Add(string(h.Schema), string(in))
		}
	}
	f.Add(`{"$ref": "#"}`, `{}`)
	f.Add("{\"a\": \"\\\n\"}", `1`) // an escaped newline: the error must stay on one line
	f.Add(`{"not": {"$ref": "#"}}`, `1`)
	f.Add(`{"oneOf": [{"$ref": "#"}, {"$ref": "#/oneOf/0"}]}`, `[1, 2]`)
	f.Add(`{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}`, `null`)
	f.Add(`{"items": {"$ref": "#"}, "uniqueItems": true}`, `[[[[[]]]], [[[[]]]]]`)
	// One seed per draft, with the keywords that differ between them.
	for _, d := range []string{"http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
		"http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2019-09/schema", ""} {
		f.Add(`{"$schema": "`+d+`", "type": ["integer", "object", "array"], "exclusiveMinimum": 0, "const": 2, "properties": {"a": {"if": {"type": "string"}, "then": {"maxLength": 2}}}, "propertyNames": {"pattern": "^[a-z]"}, "contains": {"type": "integer"}, "minContains": 2, "dependentRequired": {"a": ["b"]}, "dependencies": {"b": {"required": ["c"]}}, "prefixItems": [true], "items": false, "unevaluatedProperties": false, "$defs": {"x": {"$dynamicAnchor": "x"}}}`,
			`{"a": "abc", "b": 1, "Z": [1, 2.0]}`)
	}
	f.Add(`{"allOf": [{"properties": {"a": true}}], "patternProperties": {"type": {"minimum": 1}}, "additionalProperties": {"not": {}}, "unevaluatedProperties": {"minimum": 5, "multipleOf": 2}}`, `{"a": 1, "type": 3, "c": 3}`)
	f.Add(`{"contains": true, "unevaluatedItems": {"type": "integer"}, "if": {"prefixItems": [{"const": 1}]}, "then": {"prefixItems": [true, true]}}`, `[1, "a", 2.5, [1]]`)
	f.Add(`{"$id": "http://x/root.json", "$defs": {"b": {"$id": "b.json", "type": "string"}}, "properties": {"x": {"$ref": "b.json"}, "y": {"$ref": "#/$defs/b"}}}`, `{"x": 1, "y": "s"}`)

	f.Fuzz(func(t *testing.T, schema, instance string) {
		s, err := Compile([]byte(schema))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		v, err := decodeInstance(instance, false)
		if err != nil {
			return
		}
		errs := s.Validate(v)
		vn, _ := decodeInstance(instance, true)
		if a, b := goKeys(errs), goKeys(s.Validate(vn)); strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Fatalf("int64/float64 and json.Number disagree:\n%v\n%v", a, b)
		}
		var check func([]*Error, bool)
		check = func(l []*Error, inside bool) {
			for _, e := range l {
				if e.Keyword == "" || e.Message == "" || e.group && !inside {
					t.Fatalf("malformed error %+v", e)
				}
				check(e.Causes, true)
			}
		}
		check(errs, false)
	})
}
