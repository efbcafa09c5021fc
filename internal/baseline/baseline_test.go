package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/rallyoracle"
	"github.com/rallyforge/rallyforge/internal/stats"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func sample(t *testing.T, name string) string {
	return filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", name)
}

// copyTo copies a file into dir and returns the copy's path.
func copyTo(t *testing.T, src, dir string) string {
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func corpusTask(t *testing.T, name, dir string) string {
	return copyTo(t, filepath.Join(testcorpus.SharedDir(t), "corpus", "rally-tasks", name), dir)
}

var insertedRe = regexp.MustCompile(`^\s*(sla:|max_avg_duration_per_atomic:|([a-z0-9_.]+|"[^"]*"): [0-9.]+)$`)

// inserted checks that new is old with whole lines inserted and nothing
// else changed, byte for byte, and returns the inserted lines.
func inserted(t *testing.T, old, new []byte) []string {
	t.Helper()
	o, n := strings.SplitAfter(string(old), "\n"), strings.SplitAfter(string(new), "\n")
	var extra []string
	i := 0
	for _, l := range n {
		if i < len(o) && l == o[i] {
			i++
			continue
		}
		extra = append(extra, l)
	}
	if i != len(o) {
		t.Fatalf("old line %d (%q) is missing or changed in the new text", i+1, o[i])
	}
	for _, l := range extra {
		if !insertedRe.MatchString(strings.TrimRight(l, "\r\n")) {
			t.Errorf("inserted line %q is not an SLA line", l)
		}
	}
	return extra
}

type ruleMsg struct{ rule, msg string }

// findings lists a file's lint findings without positions (lines move).
func findings(t *testing.T, path string, o lint.Options) []ruleMsg {
	t.Helper()
	fs, err := lint.File(path, o)
	if err != nil {
		t.Fatal(err)
	}
	var out []ruleMsg
	for _, f := range fs {
		out = append(out, ruleMsg{f.Rule, f.Message})
	}
	slices.SortFunc(out, func(a, b ruleMsg) int { return strings.Compare(a.rule+a.msg, b.rule+b.msg) })
	return out
}

// want is what a workload must end with.
type want struct {
	workload string
	status   string
	atomics  []string
}

type pair struct {
	name    string
	task    string // path of the copy that is edited
	results string
	report  string // report format of the same run, for Rally's SLA check
	plugins []string
	o       Options
	wants   []want
	// lintClean: the edited task has no lint finding at all (else: the
	// same findings as before the edit).
	lintClean bool
	// insertOnly: the edit only inserts lines.
	insertOnly bool
}

// The real task/report pairs: the sample tasks with the reports their runs
// produced, and corpus tasks (a Jinja2 header, v1, JSON, a workloads list)
// with the sample reports of the same scenarios. Each edit keeps every
// other byte, still lints as before, is accepted by the real Rally, and
// Rally's own SLA checker, fed the measured iterations, passes the new
// max_avg_duration_per_atomic with the default margin and fails it with a
// margin below one.
func TestRealPairs(t *testing.T) {
	testcorpus.Long(t)
	t.Parallel()
	dir := t.TempDir()
	inputs := filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "inputs")
	forced := Defaults
	forced.Force = true
	ks := []want{{"KeystoneBasic.create_user#0", StatusSet, []string{"keystone_v3.create_user"}},
		{"KeystoneBasic.create_and_list_users#0", StatusSet, []string{"keystone_v3.create_user", "keystone_v3.list_users"}}}
	pairs := []pair{
		{name: "keystone-basic", task: copyTo(t, filepath.Join(inputs, "keystone-basic.yaml"), dir), results: sample(t, "keystone-basic.report.json"),
			o: Defaults, wants: ks, lintClean: true, insertOnly: true},
		{name: "glance-images", task: copyTo(t, filepath.Join(inputs, "glance-images.yaml"), dir), results: sample(t, "glance-images.report.json"),
			o: Defaults, wants: []want{{"GlanceImages.create_and_list_image#0", StatusSet, []string{"glance_v2.create_image", "glance_v2.list_images"}}}, lintClean: true, insertOnly: true},
		{name: "placement-failures", task: copyTo(t, filepath.Join(inputs, "placement-failures.yaml"), dir), results: sample(t, "placement-failures.report.json"),
			plugins: []string{inputs}, o: forced, lintClean: true,
			// The duplicate create fails in every iteration it runs in;
			// failed iterations are not what the SLA averages.
			wants: []want{{"PlacementCustom.create_list_delete_resource_provider#0", StatusReplaced, []string{"placement.create_resource_provider", "placement.list_resource_providers", "placement.delete_resource_provider"}}}},
		{name: "keystone-swift (Jinja2 header)", task: corpusTask(t, "rally-openstack__rally-jobs__keystone-swift.yaml", dir), results: sample(t, "keystone-basic.report.json"),
			o: Defaults, wants: ks, lintClean: true, insertOnly: true},
		{name: "keystone v1, old results format", task: corpusTask(t, "keystone__rally-jobs__keystone.yaml", dir), results: sample(t, "keystone-basic.results.json"), report: sample(t, "keystone-basic.report.json"),
			o: Defaults, wants: ks, insertOnly: true},
		{name: "create-user.json", task: corpusTask(t, "rally-openstack__samples__tasks__scenarios__keystone__create-user.json", dir), results: sample(t, "keystone-basic.report.json"),
			o: Defaults, wants: ks[:1], lintClean: true},
		{name: "glance workloads list (Jinja2)", task: corpusTask(t, "rally-openstack__rally-jobs__glance.yaml", dir), results: sample(t, "glance-images.report.json"),
			o: Defaults, wants: []want{{"GlanceImages.create_and_list_image#0", StatusSet, []string{"glance_v2.create_image", "glance_v2.list_images"}}}, insertOnly: true},
	}
	var validate []rallyoracle.Item
	var slaItems []rallyoracle.SLAItem
	for _, p := range pairs {
		// Rally's verdict on the task before the edit: the installed
		// rally-openstack lacks some master scenarios of the corpus tasks,
		// and the edit must not change what Rally says.
		orig := copyTo(t, p.task, t.TempDir())
		validate = append(validate, rallyoracle.Item{Name: p.name + " before", Task: orig, Plugins: p.plugins})
		lo := lint.Options{PluginPaths: p.plugins}
		before := findings(t, p.task, lo)
		res, err := Propose(p.task, p.results, p.o)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if !res.Changed {
			t.Fatalf("%s: nothing changed: %+v", p.name, res.Workloads)
		}
		got := map[string]WorkloadChange{}
		for _, w := range res.Workloads {
			got[w.Workload] = w
		}
		total := 0
		for _, w := range p.wants {
			g := got[w.workload]
			var names []string
			for _, th := range g.Thresholds {
				names = append(names, th.Atomic)
				if th.Value < p.o.Margin*th.Basis || th.Value > p.o.Margin*th.Basis*1.1+0.001 || !th.Passes || th.N == 0 {
					t.Errorf("%s %s %s: threshold %v for %g × %v", p.name, w.workload, th.Atomic, th.Value, p.o.Margin, th.Basis)
				}
			}
			if g.Status != w.status || !slices.Equal(names, w.atomics) {
				t.Errorf("%s %s: %s %q (%s), want %s %q", p.name, w.workload, g.Status, names, g.Reason, w.status, w.atomics)
			}
			total += len(names) + 1
		}
		if err := os.WriteFile(p.task, res.New, 0o644); err != nil {
			t.Fatal(err)
		}
		if p.insertOnly {
			if got := inserted(t, res.Old, res.New); len(got) != total {
				t.Errorf("%s: %d lines inserted, want %d", p.name, len(got), total)
			}
			// The Jinja2 header and every comment survive byte for byte
			// (inserted checks the whole text; this names them).
			for _, l := range strings.Split(string(res.Old), "\n") {
				if (strings.HasPrefix(strings.TrimSpace(l), "{%") || strings.HasPrefix(strings.TrimSpace(l), "#")) && !strings.Contains(string(res.New), l) {
					t.Errorf("%s: lost %q", p.name, l)
				}
			}
		}
		if strings.HasSuffix(p.task, ".json") && !json.Valid(res.New) {
			t.Errorf("%s: no longer valid JSON:\n%s", p.name, res.New)
		}
		after := findings(t, p.task, lo)
		if p.lintClean && len(after) > 0 || !slices.Equal(before, after) {
			t.Errorf("%s: lint findings changed:\nbefore %v\nafter  %v", p.name, before, after)
		}
		// A second run keeps everything: the workloads have their SLA now.
		again, err := Propose(p.task, p.results, Defaults)
		if err != nil || again.Changed {
			t.Errorf("%s: second run changed the file (%v)", p.name, err)
		}
		report := p.results
		if p.report != "" {
			report = p.report
		}
		validate = append(validate, rallyoracle.Item{Name: p.name, Task: p.task, Plugins: p.plugins})
		slaItems = append(slaItems, rallyoracle.SLAItem{Name: p.name, Task: p.task, Report: report, Plugins: p.plugins})
		// The same thresholds with a margin below one must fail.
		tight := Options{Margin: 0.5, Mean: true, Force: true}
		res2, err := Propose(p.task, p.results, tight)
		if err != nil {
			t.Fatal(err)
		}
		tp := filepath.Join(t.TempDir(), filepath.Base(p.task))
		os.WriteFile(tp, res2.New, 0o644)
		slaItems = append(slaItems, rallyoracle.SLAItem{Name: p.name + " tight", Task: tp, Report: report, Plugins: p.plugins})
	}

	// Two Rally processes at once: each spends seconds loading plugins.
	var checks map[string]rallyoracle.SLAVerdict
	var checkErr error
	done := make(chan struct{})
	go func() {
		checks, checkErr = rallyoracle.CheckSLA(slaItems)
		close(done)
	}()
	verdicts, err := rallyoracle.Validate(validate)
	<-done
	if err != nil {
		t.Fatalf("real Rally: %v", err)
	}
	accepted := 0
	for _, p := range pairs {
		before, after := verdicts[p.name+" before"], verdicts[p.name]
		switch {
		case after == nil && before == nil:
			accepted++
		case after == nil || before == nil || *after != *before:
			t.Errorf("%s: the real Rally's verdict changed with the edit:\nbefore %v\nafter  %v", p.name, str(before), str(after))
		}
	}
	if accepted < 5 {
		t.Errorf("only %d edited tasks are accepted by the real Rally as a whole", accepted)
	}
	if checkErr != nil {
		t.Fatalf("real Rally SLA check: %v", checkErr)
	}
	for i, it := range slaItems {
		v := checks[it.Name]
		if v.Error != nil {
			t.Errorf("%s: %s", it.Name, *v.Error)
			continue
		}
		tight := strings.HasSuffix(it.Name, " tight")
		p := pairs[i/2]
		judged := 0
		for _, w := range v.Workloads {
			for _, s := range w.SLA {
				if s.Criterion != maxKey {
					continue
				}
				judged++
				if s.Success == tight {
					t.Errorf("%s %s: Rally says %v:\n%s", it.Name, w.Workload, s.Success, s.Detail)
				}
			}
		}
		if judged != len(p.wants) {
			t.Errorf("%s: Rally judged %d max_avg_duration_per_atomic SLAs, want %d: %+v", it.Name, judged, len(p.wants), v.Workloads)
		}
	}
}

// The two results formats of one run give the same thresholds (the old
// format has the same top-level atomic durations).
func str(s *string) string {
	if s == nil {
		return "accepted"
	}
	return *s
}

func TestFormatsAgree(t *testing.T) {
	a, err := measure(sample(t, "keystone-basic.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := measure(sample(t, "keystone-basic.results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("%d and %d workloads", len(a), len(b))
	}
	for i := range a {
		ta, tb := thresholds(a[i], Defaults), thresholds(b[i], Defaults)
		if a[i].key() != b[i].key() || len(ta) != len(tb) {
			t.Fatalf("%s vs %s", a[i].key(), b[i].key())
		}
		for j := range ta {
			if ta[j].Text != tb[j].Text || math.Abs(ta[j].Mean-tb[j].Mean) > 1e-6 {
				t.Errorf("%s %s: %+v vs %+v", a[i].key(), ta[j].Atomic, ta[j], tb[j])
			}
		}
	}
	// The mean is what Rally's SLA shows in its detail ("0.06s <= …"):
	// the sample run's own SLA result on placement.create_resource_provider.
	ms, _ := measure(sample(t, "placement-custom.report.json"))
	th := thresholds(ms[0], Defaults)
	if th[0].Atomic != "placement.create_resource_provider" || fmt.Sprintf("%.2f", th[0].Mean) != "0.06" {
		t.Errorf("mean of %s = %.4f, Rally's detail says 0.06", th[0].Atomic, th[0].Mean)
	}
	s, _ := stats.Summarize(sample(t, "placement-custom.report.json"))
	if p95 := *s.Workloads[0].Durations.Atomics[0].Data.P95; math.Abs(p95-th[0].Basis) > 0.0005 {
		t.Errorf("p95 %.4f, Rally's table says %.3f", th[0].Basis, p95)
	}
}

// A workload that a Jinja2 loop produces cannot be edited in one place:
// it is reported with the lines to add, and the file is left as it was;
// the workload after the loops, in a task full of {{ … }}, is edited. The
// results are a real report whose two scenarios are renamed to those of
// the nova task.
func TestLoopWorkloadSkipped(t *testing.T) {
	testcorpus.Long(t)
	t.Parallel()
	dir := t.TempDir()
	task := corpusTask(t, "rally-openstack__rally-jobs__nova.yaml", dir)
	raw, err := os.ReadFile(sample(t, "keystone-basic.report.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer(`"KeystoneBasic.create_user"`, `"NovaServerGroups.create_and_get_server_group"`,
		`"KeystoneBasic.create_and_list_users"`, `"NovaServers.suspend_and_resume_server"`)
	results := filepath.Join(dir, "renamed.report.json")
	os.WriteFile(results, []byte(r.Replace(string(raw))), 0o644)
	res, err := Propose(task, results, Defaults)
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]WorkloadChange{}
	for _, w := range res.Workloads {
		st[w.Workload] = w
	}
	loop, plain := st["NovaServerGroups.create_and_get_server_group#0"], st["NovaServers.suspend_and_resume_server#0"]
	if loop.Status != StatusSkipped || !strings.Contains(loop.Reason, "loop") || !strings.Contains(loop.Snippet, "max_avg_duration_per_atomic:\n    keystone_v3.create_user: ") {
		t.Errorf("loop workload: %+v", loop)
	}
	if loop.Line != 175 {
		t.Errorf("loop workload traced to line %d, want 175", loop.Line)
	}
	if plain.Status != StatusSet {
		t.Errorf("plain workload: %+v", plain)
	}
	if got := inserted(t, res.Old, res.New); len(got) != 4 {
		t.Errorf("inserted %q", got)
	}
	edited := filepath.Join(t.TempDir(), filepath.Base(task))
	os.WriteFile(edited, res.New, 0o644)
	v, err := rallyoracle.Validate([]rallyoracle.Item{{Name: "before", Task: task}, {Name: "after", Task: edited}})
	if err != nil {
		t.Fatal(err)
	}
	if str(v["before"]) != str(v["after"]) {
		t.Errorf("the real Rally's verdict changed with the edit:\nbefore %s\nafter  %s", str(v["before"]), str(v["after"]))
	}
}

// Edits of shapes the corpus has few of: no sla at all, flow-style YAML,
// an sla without a trailing newline at the end of the file, CRLF line
// ends, --force on a flow value, a workload whose lines a macro writes
// for two workloads.
func TestShapes(t *testing.T) {
	results := sample(t, "keystone-basic.report.json")
	cases := []struct {
		name, src, want string
		force           bool
		status          string
	}{
		{"no sla, last in file without newline", "version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n    runner:\n        constant: {times: 1}",
			"version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n    runner:\n        constant: {times: 1}\n    sla:\n      max_avg_duration_per_atomic:\n        keystone_v3.create_user: 0.23\n", false, StatusSet},
		{"flow yaml, one line", "{version: 2, title: t, subtasks: [{title: a, scenario: {KeystoneBasic.create_user: {}}, sla: {failure_rate: {max: 0} }}]}\n",
			`{version: 2, title: t, subtasks: [{title: a, scenario: {KeystoneBasic.create_user: {}}, sla: {failure_rate: {max: 0}, "max_avg_duration_per_atomic": {"keystone_v3.create_user": 0.23} }}]}` + "\n", false, StatusSet},
		{"flow yaml, no sla", "{version: 2, title: t, subtasks: [{title: a, scenario: {KeystoneBasic.create_user: {}}}]}\n",
			`{version: 2, title: t, subtasks: [{title: a, scenario: {KeystoneBasic.create_user: {}}, "sla": {"max_avg_duration_per_atomic": {"keystone_v3.create_user": 0.23}}}]}` + "\n", false, StatusSet},
		{"force on a flow value", "version: 2\ntitle: t\nsubtasks:\n  - title: a   # keep me\n    scenario: {KeystoneBasic.create_user: {}}\n    sla: {max_avg_duration_per_atomic: {keystone_v3.create_user: 9}}\n",
			"version: 2\ntitle: t\nsubtasks:\n  - title: a   # keep me\n    scenario: {KeystoneBasic.create_user: {}}\n    sla: {max_avg_duration_per_atomic: {\"keystone_v3.create_user\": 0.23}}\n", true, StatusReplaced},
		{"crlf", "version: 2\r\ntitle: t\r\nsubtasks:\r\n  - title: a\r\n    scenario:\r\n      KeystoneBasic.create_user: {}\r\n    sla:\r\n      failure_rate:\r\n        max: 0\r\n",
			"version: 2\r\ntitle: t\r\nsubtasks:\r\n  - title: a\r\n    scenario:\r\n      KeystoneBasic.create_user: {}\r\n    sla:\r\n      failure_rate:\r\n        max: 0\r\n      max_avg_duration_per_atomic:\r\n        keystone_v3.create_user: 0.23\r\n", false, StatusSet},
		{"macro", "{% macro wl(n) %}\n  - title: {{ n }}\n    scenario:\n      {{ n }}: {}\n{% endmacro %}\nversion: 2\ntitle: t\nsubtasks:\n{{ wl(\"KeystoneBasic.create_user\") }}\n{{ wl(\"KeystoneBasic.create_user\") }}\n",
			"", false, StatusSkipped},
		{"empty sla", "version: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario:\n      KeystoneBasic.create_user: {}\n    sla:\n",
			"", false, StatusSkipped},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "task.yaml")
		os.WriteFile(p, []byte(c.src), 0o644)
		o := Defaults
		o.Force = c.force
		res, err := Propose(p, results, o)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		w := res.Workloads[0]
		if w.Status != c.status {
			t.Errorf("%s: %s (%s)", c.name, w.Status, w.Reason)
		}
		want := c.want
		if want == "" {
			want = c.src
		}
		if string(res.New) != want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, res.New, want)
		}
	}
}

func TestRoundUp(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{0.1851, "0.19"}, {0.18, "0.18"}, {1.23, "1.3"}, {1.2, "1.2"}, {12.01, "13"}, {123, "130"}, {0.2, "0.2"}, {0.0123, "0.013"}, {0, "0.001"}, {0.0004, "0.001"}, {math.NaN(), "0.001"}} {
		v, s := roundUp(c.in)
		if s != c.want || (c.in > minThreshold && v < c.in) {
			t.Errorf("roundUp(%v) = %v %q, want %q", c.in, v, s, c.want)
		}
	}
}

func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	task := copyTo(t, filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "inputs", "keystone-basic.yaml"), dir)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 2\ntitle: t\nsubtasks:\n  - title: [\n"), 0o644)
	tmpl := filepath.Join(dir, "tmpl.yaml")
	os.WriteFile(tmpl, []byte("version: 2\ntitle: {{ needed }}\nsubtasks: []\n"), 0o644)
	for _, c := range []struct {
		task, results string
		o             Options
		want          string
	}{
		{task, sample(t, "keystone-basic.report.json"), Options{Margin: 0, Percentile: 95}, "--margin"},
		{task, sample(t, "keystone-basic.report.json"), Options{Margin: 1, Percentile: 120}, "--percentile"},
		{task, filepath.Join(dir, "missing.json"), Defaults, "missing.json"},
		{filepath.Join(dir, "missing.yaml"), sample(t, "keystone-basic.report.json"), Defaults, "missing.yaml"},
		{task, sample(t, "glance-images.report.json"), Defaults, "no workload matches"},
		{bad, sample(t, "keystone-basic.report.json"), Defaults, "bad.yaml:4:"},
		{tmpl, sample(t, "keystone-basic.report.json"), Defaults, "needed"},
		{task, task, Defaults, "keystone-basic.yaml:1:1"},
	} {
		_, err := Propose(c.task, c.results, c.o)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %s: error %v, want one line with %q", filepath.Base(c.task), filepath.Base(c.results), err, c.want)
		}
	}
}
