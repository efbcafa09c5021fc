package main

import (
	"strings"
	"testing"
)

// TestCatalogShowsAtomicTree: `catalog SCENARIO` shows the atomic action
// tree, nested actions indented under the action they are timed in.
func TestCatalogShowsAtomicTree(t *testing.T) {
	code, out := runOut(t, "catalog", "GlanceImages.create_and_list_image")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, want := range []string{"\n    glance_v2.create_image", "\n      glance_v2.upload_data\n", "\n    glance_v2.list_images\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
