package plugingen

import (
	"testing"

	"github.com/rallyforge/rallyforge/internal/apiref"
)

// A body with several fields that each make it unbuildable gives the same
// reason every time (map order is random in Go): plugin's output, the
// task's header and --format json must not change between two runs.
func TestBodyReasonIsDeterministic(t *testing.T) {
	op := &apiref.Op{Verb: "POST", Path: "/reshaper", Request: []apiref.Param{
		{Name: "inventories", In: "body", Required: true},
		{Name: "resource_provider_generation", In: "body", Required: true},
		{Name: "allocations", In: "body", Required: true},
		{Name: "project_id", In: "body", Required: true},
		{Name: "consumer_generation", In: "body", Required: true},
	}, RequestSample: map[string]any{
		"inventories":                  map[string]any{"x": 1},
		"resource_provider_generation": 5,
		"allocations":                  map[string]any{"y": 2},
		"project_id":                   "7e67cbf7-7c38-4a32-b85b-0739c690991a",
		"consumer_generation":          1,
	}}
	_, _, first := deriveBody(op, nil)
	if first == "" {
		t.Fatal("the body was built; want a reason it cannot be")
	}
	for i := 0; i < 50; i++ {
		if _, _, why := deriveBody(op, nil); why != first {
			t.Fatalf("run %d: %q, run 0: %q", i+1, why, first)
		}
	}
}
