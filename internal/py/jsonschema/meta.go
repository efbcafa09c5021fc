package jsonschema

import (
	_ "embed" // the metaschemas
	"fmt"
	"strings"
	"sync"
)

// jsonschema.validate(instance, schema) first calls
// cls.check_schema(schema): the schema, as an instance, validated by
// cls(cls.META_SCHEMA), raising SchemaError on the first error. Compile
// does the same with the very metaschemas Python ships (metaschemas/),
// compiled by this package on first use and kept: nothing happens at
// init, and a process that compiles only draft-04 schemas never parses
// the 2020-12 vocabularies.

var (
	//go:embed metaschemas/draft4.json
	metaDraft4 string
	//go:embed metaschemas/draft6.json
	metaDraft6 string
	//go:embed metaschemas/draft7.json
	metaDraft7 string
	//go:embed metaschemas/draft2019-09.json
	metaDraft2019 string
	//go:embed metaschemas/draft2020-12.json
	metaDraft2020 string
	// vocabularies.json: the 2019-09 and 2020-12 vocabulary metaschemas
	// by URL, which Python puts in every RefResolver's store.
	//go:embed metaschemas/vocabularies.json
	metaVocabularies string
)

type metaEntry struct {
	once sync.Once
	s    *Schema
	err  error
}

var metas [numDrafts]metaEntry

func metaText(d draft) string {
	switch d {
	case draft4:
		return metaDraft4
	case draft6:
		return metaDraft6
	case draft7:
		return metaDraft7
	case draft2019:
		return metaDraft2019
	case draft2020:
		return metaDraft2020
	}
	return ""
}

// metaschema is the compiled cls(cls.META_SCHEMA) of draft d.
func metaschema(d draft) (*Schema, error) {
	m := &metas[d]
	m.once.Do(func() {
		doc, err := parseJSON([]byte(metaText(d)))
		if err != nil {
			m.err = err
			return
		}
		var store map[string]*node
		if d >= draft2019 {
			// Only this draft's vocabularies: the others are never
			// referred to.
			prefix := metaschemaURLs[d][:len(metaschemaURLs[d])-len("schema")]
			vocab, err := parseObjectMembers([]byte(metaVocabularies), func(url string) bool {
				return strings.HasPrefix(url, prefix)
			})
			if err != nil {
				m.err = err
				return
			}
			store = make(map[string]*node, len(vocab.keys))
			for i, url := range vocab.keys {
				norm, err := normalizeURI(url)
				if err != nil {
					m.err = err
					return
				}
				store[norm] = vocab.vals[i]
			}
		}
		m.s, m.err = compileDoc(doc, d, store)
	})
	if m.err != nil {
		return nil, fmt.Errorf("the %s metaschema: %v", d, m.err)
	}
	return m.s, nil
}

// checkSchema is cls.check_schema(schema): the metaschema's first error.
func checkSchema(doc *node, d draft) error {
	meta, err := metaschema(d)
	if err != nil {
		return err
	}
	v := doc.value()
	// Most schemas are valid: is_valid first, the errors only if not.
	if meta.valid(v) {
		return nil
	}
	errs := meta.Validate(v)
	if len(errs) == 0 {
		return nil
	}
	e := errs[0]
	at := "the schema"
	if len(e.Path) > 0 {
		at = "#/" + joinPointer(e.Path)
	}
	return fmt.Errorf("%s is not a valid %s schema (Python raises SchemaError): %s (%s)", at, d, e.Message, e.Keyword)
}

func joinPointer(path []string) string {
	out := ""
	for i, p := range path {
		if i > 0 {
			out += "/"
		}
		out += escapePointer(p)
	}
	return out
}
