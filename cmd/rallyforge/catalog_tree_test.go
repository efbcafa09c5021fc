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

// TestCatalogShowsConditional: an action timed only under a condition is
// marked, so a reader does not expect every run to record it.
func TestCatalogShowsConditional(t *testing.T) {
	code, out := runOut(t, "catalog", "NeutronNetworks.create_and_list_subnets")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, want := range []string{"\n    neutron.create_subnet\n", "\n      neutron.add_interface_router [only under a condition]\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
