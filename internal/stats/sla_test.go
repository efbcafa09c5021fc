package stats

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FailedSLAs counts what `rally task sla-check` counts: the sla.json files
// beside the samples are its real output for the same tasks (one row per
// criterion, status PASS or FAIL), in both results formats.
func TestFailedSLAsAsSLACheck(t *testing.T) {
	failing := 0
	for _, sla := range samples(t, "*.sla.json") {
		b, err := os.ReadFile(sla)
		if err != nil {
			t.Fatal(err)
		}
		var rows []struct{ Status string }
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, r := range rows {
			if r.Status == "FAIL" {
				want++
			}
		}
		failing += want
		base := strings.TrimSuffix(sla, ".sla.json")
		for _, res := range []string{base + ".report.json", base + ".results.json"} {
			f, err := Summarize(res)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.FailedSLAs(); got != want {
				t.Errorf("%s: %d failed SLA criteria, sla-check says %d", res, got, want)
			}
		}
	}
	if failing == 0 {
		t.Fatal("no sample with a failed SLA: the test would prove nothing")
	}
}
