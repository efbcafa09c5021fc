package pyschema

import "fmt"

// CompileTrusted is Compile without the metaschema check (check_schema),
// for schemas known to pass it: Rally's plugin schemas in the generated
// catalog, each of which a test compiles with Compile. Building a draft's
// metaschema validator costs 0.2–0.6 ms per process and checking each
// schema ~23 µs: a noticeable share of the 6 ms a whole `rallyforge lint`
// process may take.
func CompileTrusted(raw []byte) (*Schema, error) {
	doc, err := parseJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("pyschema: %v", err)
	}
	if doc.kind != kObject && doc.kind != kBool {
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
	s, err := compileDoc(doc, d, nil)
	if err != nil {
		return nil, fmt.Errorf("pyschema: %v", err)
	}
	return s, nil
}
