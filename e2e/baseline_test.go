//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// baseline, then a real run: init's keystone task gets thresholds
// measured in a real run of the same scenarios on the same kind of
// loopback cloud (the sample keystone-basic report, 20 iterations), it
// still lints clean, and the real Rally runs it and judges exactly the
// thresholds written (a generous margin: the check is that Rally evaluates
// them, not how tight they are). The task is cut to its first subtask (two
// workloads, one with results): a run of the whole smoke task would add a
// minute for no more evidence.
func TestBaselineThenRun(t *testing.T) {
	dir := testcorpus.Copy(t, "keystone")
	if _, se, code := rf(t, cloud, "init", "--profile", "smoke", dir); code != 0 {
		t.Fatalf("init exit %d: %s", code, se)
	}
	task := filepath.Join(dir, "rally-jobs", "task-keystone.yaml")
	gen, err := os.ReadFile(task)
	if err != nil {
		t.Fatal(err)
	}
	subs := strings.Split(string(gen), "\n  - title: ")
	if len(subs) < 3 {
		t.Fatalf("init's task has %d subtasks:\n%s", len(subs)-1, gen)
	}
	os.WriteFile(task, []byte(subs[0]+"\n  - title: "+subs[1]+"\n"), 0o644)
	report := filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "keystone-basic.report.json")
	old, _ := os.ReadFile(task)
	so, se, code := rf(t, cloud, "baseline", "--force", "--margin", "10", "--format", "json", task, report)
	if code != 0 {
		t.Fatalf("baseline exit %d\n%s\n%s", code, so, se)
	}
	var bl struct {
		Changed   bool
		Workloads []struct {
			Workload, Status string
			Thresholds       []struct {
				Atomic string
				Value  float64
			}
		}
	}
	if err := json.Unmarshal([]byte(so), &bl); err != nil || !bl.Changed {
		t.Fatalf("baseline output: %v\n%s", err, so)
	}
	written := map[string]float64{} // atomic@workload → threshold
	for _, w := range bl.Workloads {
		if want := map[string]string{"KeystoneBasic.create_delete_user#0": "no-results", "KeystoneBasic.create_and_list_users#0": "replaced"}[w.Workload]; w.Status != want {
			t.Errorf("%s: %s, want %s", w.Workload, w.Status, want)
		}
		for _, th := range w.Thresholds {
			written[th.Atomic+"@"+w.Workload] = th.Value
		}
	}
	now, _ := os.ReadFile(task)
	if !strings.HasPrefix(string(now), strings.SplitN(string(old), "\n", 2)[0]+"\n") {
		t.Errorf("the header comment changed")
	}
	if so, se, code := rf(t, cloud, "lint", task); code != 0 {
		t.Errorf("lint after baseline: exit %d\n%s%s", code, so, se)
	}

	second := t.TempDir()
	start := time.Now()
	so, se, code = rf(t, cloud, "run", "--format", "json", "--state", state, "--out", second, task)
	timing[t.Name()+" run"] = time.Since(start)
	if code != 0 {
		t.Fatalf("run with the baselined task: exit %d\n%s\n%s", code, so, se)
	}
	// sla.json: Rally's own verdicts; each workload's
	// max_avg_duration_per_atomic lists the thresholds written, and passes.
	var sla []struct {
		Criterion, Status, Detail string
		Benchmark                 string
		Pos                       int
	}
	b, err := os.ReadFile(filepath.Join(second, "sla.json"))
	if err != nil || json.Unmarshal(b, &sla) != nil {
		t.Fatalf("sla.json: %v", err)
	}
	line := regexp.MustCompile(`Action: '([^']+)'\. [0-9.]+s <= ([0-9.]+)s`)
	judged := 0
	for _, s := range sla {
		if s.Criterion != "max_avg_duration_per_atomic" {
			continue
		}
		if s.Status != "PASS" {
			t.Errorf("%s: %s\n%s", s.Benchmark, s.Status, s.Detail)
		}
		for _, m := range line.FindAllStringSubmatch(s.Detail, -1) {
			if s.Benchmark != "KeystoneBasic.create_and_list_users" {
				// The workload without results keeps init's thresholds.
				if m[2] != "15.00" {
					t.Errorf("%s %s: threshold %s, init wrote 15", s.Benchmark, m[1], m[2])
				}
				continue
			}
			judged++
			found := false
			for k, v := range written {
				if strings.HasPrefix(k, m[1]+"@"+s.Benchmark+"#") {
					want, _ := strconv.ParseFloat(m[2], 64)
					// Rally prints %.2f.
					if d := v - want; d > 0.005 || d < -0.005 {
						t.Errorf("%s %s: Rally judged against %s, baseline wrote %v", s.Benchmark, m[1], m[2], v)
					}
					found = true
				}
			}
			if !found {
				t.Errorf("%s %s: not a threshold baseline wrote", s.Benchmark, m[1])
			}
		}
	}
	if judged != len(written) {
		t.Errorf("Rally judged %d atomic thresholds, baseline wrote %d", judged, len(written))
	}
	if len(written) != 2 {
		t.Errorf("thresholds written: %v", written)
	}
	t.Logf("%d measured thresholds judged by Rally in a real run", judged)
}
