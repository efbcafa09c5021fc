package lint

import (
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py/jsonschema"
)

// TestSchemasPassCheckSchema: lint compiles schemas without Python's
// check_schema (CompileTrusted) because every schema it meets passes it:
// the catalog's plugin schemas and the task format schemas.
func TestSchemasPassCheckSchema(t *testing.T) {
	c := catalog.MustLoad()
	n := 0
	for _, l := range [][]catalog.Plugin{c.Contexts, c.Runners, c.SLAs, c.HookActions, c.HookTriggers} {
		for _, p := range l {
			if len(p.Schema) == 0 {
				continue
			}
			n++
			if _, err := jsonschema.Compile(p.Schema); err != nil {
				t.Errorf("%s: %v", p.Name, err)
			}
		}
	}
	for _, s := range []string{schemaV1, subtaskV2Simple, subtaskV2Complex} {
		n++
		if _, err := jsonschema.Compile([]byte(s)); err != nil {
			t.Errorf("task format schema: %v", err)
		}
	}
	if n < 50 {
		t.Fatalf("only %d schemas checked", n)
	}
}
