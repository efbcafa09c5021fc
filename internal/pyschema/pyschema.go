// Package pyschema is JSON Schema validation as Python's
// jsonschema.validate judges it, draft picked from "$schema": decoded
// task values are checked against Rally plugin config schemas with the
// same verdicts, error messages, keywords and instance paths as Debian's
// python3-jsonschema 4.10 (iter_errors), checked by a differential test
// against the real thing. It exists because the general-purpose Go
// validators compile every draft's meta-schema when their package is
// initialised, which alone costs more than `rallyforge lint` may spend in
// a whole process; this package does no work at init, and validating a
// valid value allocates only its bookkeeping.
//
// For now draft 4 is applied whatever "$schema" says (the other drafts
// are being added). Rally's own check,
// jsonschema.validate(), picks the validator from "$schema" instead: for
// the installed release's draft-07 schemas (rps runner, max_avg_duration,
// max_seconds_per_iteration, outliers SLAs) a numeric exclusiveMinimum is
// a bound there and ignored here, and draft 6+ accept 1.0 as an integer.
//
// Where Python's answer depends on what a Go value does not carry: dict
// reprs in messages list keys sorted (a Go map has no order); a
// json.Number is an int when its literal is an integer; integers beyond
// int64 are refused in schemas and become floats in instances. Patterns
// run on Go's regexp after the rewrites described at compilePattern.
// Schemas that make Python raise instead of report (a non-object root, an
// unknown type name, a non-string or remote $ref, a pattern Go cannot
// compile) are refused by Compile. Where Python would raise while
// validating (RecursionError from a $ref that comes back to the same
// value, or from a value nested more than 512 levels; a schema whose
// alternatives multiply past 2^20 steps would not finish), Validate
// returns that single Error, keyword "$ref" (or the descending keyword).
package pyschema

import "fmt"

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
	doc, err := parseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("pyschema: %v", err)
	}
	if doc.kind != kObject && doc.kind != kBool {
		// validator_for tests `"$schema" in schema`: a TypeError for a
		// number or null, a SchemaError from check_schema otherwise.
		return nil, fmt.Errorf("pyschema: the schema must be an object or a boolean, not %s", typeName(doc))
	}
	d := draft2020
	if doc.kind == kObject {
		if d, err = draftOf(doc, draft2020); err != nil {
			return nil, fmt.Errorf("pyschema: #/%v", err)
		}
	}
	if d == draft3 {
		return nil, fmt.Errorf("pyschema: draft-03 schemas are not supported")
	}
	if err := checkSchema(doc, d); err != nil {
		return nil, fmt.Errorf("pyschema: %v", err)
	}
	s, err := compileDoc(doc, d, nil)
	if err != nil {
		return nil, fmt.Errorf("pyschema: %v", err)
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
		case id.kind == kString:
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
// nil, int64/int and the other integer types, float64, json.Number.
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
