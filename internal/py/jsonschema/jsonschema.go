// Package jsonschema is JSON Schema validation as Python's
// jsonschema.validate judges it, draft picked from "$schema": decoded
// task values are checked against Rally's schemas (plugin CONFIG_SCHEMA,
// the task format) with the same verdicts, error messages, keywords and
// instance paths as Debian's python3-jsonschema 4.10.3 (iter_errors),
// checked by a differential test against the real thing. It exists
// because the general-purpose Go validators compile every draft's
// meta-schema when their package is initialised, which alone costs more
// than `rallyforge lint` may spend in a whole process; this package does
// no work at init, and validating a valid value allocates only its
// bookkeeping.
//
// Compile does what jsonschema.validate does before validating.
// validator_for picks the class from "$schema" after URIDict's
// normalisation (with or without the trailing '#', any case of scheme):
// draft-04, -06, -07, 2019-09, 2020-12; absent or unknown means 2020-12
// (Rally's allow_ssh, keypair and servers contexts and its complex
// subtask schema have no "$schema"); draft-03 is refused. check_schema
// validates the schema against that draft's metaschema (the very files
// Python ships, embedded, compiled by this package on a draft's first
// use and kept: 0.1-0.3 ms for draft-04 or -07, 0.4-0.9 ms for 2020-12
// with its vocabularies, on a loaded 2-core machine) and a schema Python
// would reject with SchemaError is refused. The check itself adds some
// 20-40 us to each Compile. A subschema's own
// "$schema" switches the class below it, and a $ref target without one
// takes the referring schema's class, as evolve() does.
//
// Per class, as 4.10.3 implements them: "integer" takes a float with an
// integral value from draft 6 on; exclusiveMinimum/Maximum are booleans
// modifying minimum/maximum in draft 4 and bounds of their own after
// ("0 is less than or equal to the minimum of 0"); const, contains,
// propertyNames from 6; if/then/else from 7; dependencies up to 7,
// dependentRequired/dependentSchemas, minContains/maxContains (errors with
// those keywords), unevaluatedProperties/unevaluatedItems (4.10.3's
// walk of the raw schema, quirks included: see uneval.go) from 2019-09;
// $ref beside other keywords is applied with them from 2019-09 and alone
// before; prefixItems and the new items (false: "Expected at most 2
// items, but found 3") in 2020-12, where $dynamicRef is followed when its
// target from the base URI carries the $dynamicAnchor (otherwise it would
// depend on the path taken: refused). 4.10.3's $recursiveRef reports
// nothing, and neither does this one (only "#" is accepted). "format" is
// not checked: jsonschema.validate passes no format checker.
//
// References resolve as RefResolver does: urljoin onto the resolution
// scope (ids push scopes: "id" up to draft 4, "$id" after), objects with
// an "$id" searched first, then the document, "#anchor" and plain-name ids
// before JSON pointers. A reference to another document (network in
// Python) or into the metaschemas is refused, as is one Python could not
// resolve; urllib.parse is ported (pyurl.go) and checked against Python.
//
// Where Python's answer depends on what a Go value does not carry: dict
// reprs in messages list keys sorted (a Go map has no order); a
// json.Number is an int when its literal is an integer; integers beyond
// int64 are refused in schemas; in instances a *big.Int is an int (exact
// comparisons and multipleOf), a json.Number beyond int64 a float. Patterns
// run on Go's regexp after the rewrites described at compilePattern.
// Schemas that make Python raise instead of report (an unknown type name,
// a keyword value it would crash on where no metaschema looks, a pattern
// Go cannot compile) are refused by Compile. Where Python would raise
// while validating (RecursionError from a $ref that comes back to the
// same value, or from a value nested more than 512 levels; the
// exceptions of the unevaluated* walk; a schema whose alternatives
// multiply past 2^20 steps would not finish), Validate returns that
// single Error, its message saying so.
//
// jsonschema.validate raises only best_match() of the errors; Validate
// returns them all, in the order Python yields them, for the caller to
// choose.
package jsonschema

import (
	"fmt"

	"github.com/rallyforge/rallyforge/internal/py"
)

// Schema is a compiled schema; it is immutable and safe for concurrent use.
type Schema struct {
	root  *sch
	draft draft
}

// Error is one validation error, as one item of Python's iter_errors.
type Error struct {
	Path    []string // instance location: object keys and array indexes as strings
	Keyword string   // the schema keyword that failed: "type", "required", ...; "false" for a false subschema
	Message string   // Python jsonschema's message for this error
	// Causes are, for anyOf and oneOf, the errors of each alternative: one
	// child per alternative, that alternative's only error or, when it
	// has several, an Error (Keyword "anyOf"/"oneOf") whose Causes they are.
	Causes []*Error

	group bool // a per-alternative wrapper, not an error Python reports
}

// Compile parses a JSON Schema document and prepares it as
// jsonschema.validate(instance, schema) would: the validator class picked
// by validator_for from "$schema" (draft-04, -06, -07, 2019-09, 2020-12;
// absent or unknown: 2020-12; draft-03 is refused), the schema checked
// against that draft's metaschema (a schema Python would reject with
// SchemaError is refused, the error naming the metaschema's complaint),
// then compiled. Compile also refuses what Python would raise on rather
// than report (a "$ref" it cannot resolve, keyword values it would crash
// on, patterns Go cannot run) and the few constructs this package does not
// emulate (remote references, references into the metaschemas, a
// "$dynamicRef" whose target depends on the path taken).
func Compile(raw []byte) (*Schema, error) {
	return compileRaw(raw, true)
}

// compileRaw is Compile, with or without the metaschema check.
func compileRaw(raw []byte, check bool) (*Schema, error) {
	doc, err := parseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: %v", err)
	}
	if doc.kind != py.DictKind && doc.kind != py.BoolKind {
		// validator_for tests `"$schema" in schema`: a TypeError for a
		// number or null, a SchemaError from check_schema otherwise.
		return nil, fmt.Errorf("jsonschema: the schema must be an object or a boolean, not %s", typeName(doc))
	}
	d := draft2020
	if doc.kind == py.DictKind {
		if d, err = draftOf(doc, draft2020); err != nil {
			return nil, fmt.Errorf("jsonschema: #/%v", err)
		}
	}
	if d == draft3 {
		return nil, fmt.Errorf("jsonschema: draft-03 schemas are not supported")
	}
	if check {
		if err := checkSchema(doc, d); err != nil {
			return nil, fmt.Errorf("jsonschema: %v", err)
		}
	}
	s, err := compileDoc(doc, d, nil)
	if err != nil {
		return nil, fmt.Errorf("jsonschema: %v", err)
	}
	return s, nil
}

// compileDoc compiles a document for validator class d, with store the
// other documents its references may name (the metaschemas'
// vocabularies).
func compileDoc(doc *node, d draft, store map[string]*node) (*Schema, error) {
	// RefResolver.from_schema: the base URI is id_of(schema).
	base := ""
	if id, ok := doc.get(d.idKeyword()); ok {
		switch {
		case id.kind == py.StrKind:
			base = id.s
		case id.truthy():
			return nil, fmt.Errorf("#/%s: must be a string, not %s (Python raises)", d.idKeyword(), typeName(id))
		}
	}
	baseNorm, err := normalizeURI(base)
	if err != nil {
		return nil, fmt.Errorf("#/%s: %v", d.idKeyword(), err)
	}
	c := &compiler{root: doc, base: base, baseNorm: baseNorm, store: store}
	root, err := c.compile(doc, d, base)
	if err != nil {
		return nil, err
	}
	// $ref targets are compiled after the tree that refers to them, so a
	// schema can refer to itself or to a parent.
	for len(c.pending) > 0 {
		r := c.pending[0]
		c.pending = c.pending[1:]
		if err := c.resolve(r); err != nil {
			return nil, err
		}
	}
	return &Schema{root: root, draft: d}, nil
}

// Validate checks a decoded value: map[string]any, []any, string, bool,
// nil, int64/int and the other integer types, *big.Int, float64,
// json.Number.
// It returns every error (nil when the value is valid), top-level errors
// in the order Python yields them.
func (s *Schema) Validate(v any) []*Error {
	if s == nil || s.root == nil {
		return nil
	}
	st := &state{collect: true}
	s.root.eval(v, st)
	if st.fatal != nil {
		return []*Error{st.fatal}
	}
	if len(st.errs) == 0 {
		return nil
	}
	return st.errs
}

// valid is is_valid(): the verdict alone, no errors built. Where Python
// would raise, it is false.
func (s *Schema) valid(v any) bool {
	st := &state{}
	return s.root.eval(v, st) && st.fatal == nil
}
