package jsonschema

import (
	"fmt"

	"github.com/rallyforge/rallyforge/internal/py"
)

// draft is a jsonschema validator class: Draft3Validator ...
// Draft202012Validator.
type draft uint8

const (
	draft3 draft = iota
	draft4
	draft6
	draft7
	draft2019
	draft2020
	numDrafts
)

var draftNames = [numDrafts]string{"draft-03", "draft-04", "draft-06", "draft-07", "2019-09", "2020-12"}

func (d draft) String() string { return draftNames[d] }

// metaschemaURLs are the metaschema ids after URIDict's normalisation
// (urlsplit(uri).geturl() drops an empty fragment, so "...schema#" and
// "...schema" are the same key).
var metaschemaURLs = [numDrafts]string{
	"http://json-schema.org/draft-03/schema",
	"http://json-schema.org/draft-04/schema",
	"http://json-schema.org/draft-06/schema",
	"http://json-schema.org/draft-07/schema",
	"https://json-schema.org/draft/2019-09/schema",
	"https://json-schema.org/draft/2020-12/schema",
}

// draftOf is validator_for(schema, default): the class registered for
// "$schema", or def when it is absent or unknown. ok is false where
// Python raises instead (a truthy "$schema" that is not a string: urlsplit
// calls .decode on it; a list or object: lru_cache cannot hash it).
func draftOf(n *node, def draft) (draft, error) {
	v, has := n.get("$schema")
	if !has {
		return def, nil
	}
	var uri string
	switch {
	case v.kind == py.StrKind:
		uri = v.s
	case v.kind == py.ListKind || v.kind == py.DictKind:
		return def, fmt.Errorf("$schema: must be a string, not %s (Python raises TypeError)", typeName(v))
	case v.truthy():
		return def, fmt.Errorf("$schema: must be a string, not %s (Python raises AttributeError)", typeName(v))
	default:
		// _coerce_args turns a falsy value into "".
	}
	norm, err := normalizeURI(uri)
	if err != nil {
		return def, fmt.Errorf("$schema %s: %v", py.Repr(uri), err)
	}
	for d, u := range metaschemaURLs {
		if u == norm {
			return draft(d), nil
		}
	}
	return def, nil
}

// idKeyword is the keyword the class's ID_OF reads.
func (d draft) idKeyword() string {
	if d <= draft4 {
		return "id"
	}
	return "$id"
}

// keywordFor is the class's VALIDATORS table: whether name is a keyword
// the draft applies, and which.
func keywordFor(d draft, name string) (opKind, bool) {
	k, ok := keyword(name)
	if !ok {
		return 0, false
	}
	switch k {
	case opConst, opContains, opExclusiveMinimum, opExclusiveMaximum, opPropertyNames:
		return k, d >= draft6
	case opIf:
		return k, d >= draft7
	case opDependencies:
		return k, d <= draft7
	case opDependentRequired, opDependentSchemas, opUnevaluatedItems, opUnevaluatedProperties:
		return k, d >= draft2019
	case opRecursiveRef:
		return k, d == draft2019
	case opPrefixItems, opDynamicRef:
		return k, d == draft2020
	}
	return k, true
}
