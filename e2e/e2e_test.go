//go:build e2e

// The end-to-end tests run rallyforge against a real OpenStack: the loopback
// Keystone + Placement that scripts/cloud/up.sh brings up. It proves that
// what init generates runs under the real Rally, passes its SLAs, leaves
// nothing behind, and records exactly the atomic actions the catalog
// promises. Run with `make e2e` (needs root and scripts/cloud/install.sh).

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/rallyrun"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

var (
	root  string   // module root
	bin   string   // built rallyforge
	cloud []string // environment with the cloud's OS_* and the rally user
	// cloudEnv is the environment of the cloud scripts (RALLYFORGE_LAB).
	cloudEnv []string
	state    string // rally state shared by the tests (db + env reused)
	timing   = map[string]time.Duration{}
)

func TestMain(m *testing.M) {
	os.Exit(mainE2E(m))
}

func mainE2E(m *testing.M) int {
	root = testcorpus.ModuleRoot()
	tmp, err := os.MkdirTemp("", "rallyforge-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin = filepath.Join(tmp, "rallyforge")
	build := exec.Command("go", "build", "-o", bin, "./cmd/rallyforge")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build: %v\n%s", err, out)
		return 1
	}
	lab := filepath.Join(tmp, "lab")
	if v := os.Getenv("RALLYFORGE_LAB"); v != "" {
		lab = v // reuse a cloud state across runs (faster locally)
	}
	state = filepath.Join(tmp, "rally-state")
	env := append(os.Environ(), "RALLYFORGE_LAB="+lab)
	cloudEnv = env
	start := time.Now()
	up := exec.Command(filepath.Join(root, "scripts/cloud/up.sh"))
	up.Env = env
	if out, err := up.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: cloud up failed: %v\n%s", err, out)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: cloud up in %.1fs\n", time.Since(start).Seconds())
	defer func() {
		down := exec.Command(filepath.Join(root, "scripts/cloud/down.sh"))
		down.Env = env
		if out, err := down.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: cloud down failed: %v\n%s", err, out)
		}
	}()
	cloud, err = openrc(filepath.Join(lab, "cloud"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	code := m.Run()
	for k, v := range timing {
		fmt.Fprintf(os.Stderr, "e2e: %s took %.1fs\n", k, v.Seconds())
	}
	return code
}

// openrc reads the export lines up.sh wrote into an environment.
func openrc(dir string) ([]string, error) {
	env := os.Environ()
	for _, f := range []string{"admin-openrc", "user-openrc"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		for _, w := range strings.Fields(string(b)) {
			if strings.Contains(w, "=") {
				env = append(env, w)
			}
		}
	}
	return append(env, "no_proxy=127.0.0.1,localhost"), nil
}

func setenv(env []string, kv ...string) []string {
	return append(slices.Clone(env), kv...)
}

// rf runs the binary; it returns stdout, stderr and the exit code.
func rf(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("rallyforge %v: %v", args, err)
	}
	return so.String(), se.String(), code
}

// adminPy runs a Python snippet against the local cloud as the admin, with
// `s` a keystoneauth session (the Debian python has the clients; see notes
// gotcha 9), and returns the lines it prints, sorted: a listing to compare
// before and after a run.
func adminPy(t *testing.T, what, body string) []string {
	t.Helper()
	const prelude = `import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"],
    username=os.environ["OS_USERNAME"], password=os.environ["OS_PASSWORD"], project_name=os.environ["OS_PROJECT_NAME"],
    user_domain_name="Default", project_domain_name="Default"))
`
	cmd := exec.Command("/usr/bin/python3", "-c", prelude+body)
	cmd.Env = cloud
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("listing %s: %v\n%s", what, err, out)
	}
	var l []string
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			l = append(l, line)
		}
	}
	sort.Strings(l)
	return l
}

// identity lists users, projects, roles and services.
func identity(t *testing.T) []string {
	return adminPy(t, "identity objects", `from keystoneclient.v3 import client
ks = client.Client(session=s, interface="public")
for u in ks.users.list(): print("user", u.name)
for p in ks.projects.list(): print("project", p.name)
for r in ks.roles.list(): print("role", r.name)
for sv in ks.services.list(): print("service", sv.type, sv.name)
`)
}

// runTask runs a task with `rallyforge run --format json` into out and
// checks what every run must give: exit 0, SLA passed, the four result
// files, every sla.json criterion PASS, a JUnit testsuite, and each
// workload's iterations all successful. It returns the result and the
// number of SLA criteria.
func runTask(t *testing.T, env []string, out, task string, extra ...string) (rallyrun.Result, int) {
	t.Helper()
	args := append([]string{"run", "--format", "json", "--state", state, "--out", out}, extra...)
	start := time.Now()
	so, se, code := rf(t, env, append(args, task)...)
	timing[t.Name()+" run"] = time.Since(start)
	if code != 0 {
		t.Fatalf("run exit %d\nstdout: %s\nstderr: %s", code, so, se)
	}
	var res rallyrun.Result
	if err := json.Unmarshal([]byte(so), &res); err != nil {
		t.Fatalf("run --format json: %v\n%s", err, so)
	}
	if !res.PassSLA {
		t.Errorf("SLA did not pass")
	}
	for _, f := range []string{"report.json", "report.html", "junit.xml", "sla.json"} {
		fi, err := os.Stat(filepath.Join(out, f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("result file %s missing or empty: %v", f, err)
		}
	}
	var sla []struct{ Criterion, Status string }
	if b, err := os.ReadFile(filepath.Join(out, "sla.json")); err != nil || json.Unmarshal(b, &sla) != nil || len(sla) == 0 {
		t.Errorf("sla.json unreadable: %v", err)
	}
	for _, c := range sla {
		if c.Status != "PASS" {
			t.Errorf("sla.json: %s is %q", c.Criterion, c.Status)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "junit.xml")); !bytes.Contains(b, []byte("<testsuite")) {
		t.Errorf("junit.xml has no <testsuite>")
	}
	if len(res.Workloads) == 0 {
		t.Fatal("no workloads in the report")
	}
	for _, w := range res.Workloads {
		if w.Failed != 0 || w.Iterations == 0 || !w.PassSLA {
			t.Errorf("%s: %d/%d iterations failed, pass_sla %v", w.Scenario, w.Failed, w.Iterations, w.PassSLA)
		}
	}
	return res, len(sla)
}

// checkCatalogAtomics: each workload recorded the atomic actions the
// catalog promises for its scenario (promisedAtomics).
func checkCatalogAtomics(t *testing.T, res rallyrun.Result) {
	t.Helper()
	cat := catalog.MustLoad()
	for _, w := range res.Workloads {
		sc, ok := cat.Scenario(w.Scenario)
		if !ok {
			t.Errorf("%s: not in the catalog", w.Scenario)
			continue
		}
		if msg := promisedAtomics(sc, w.Atomics); msg != "" {
			t.Errorf("%s: %s", w.Scenario, msg)
		}
	}
}

// promisedAtomics says ("" when all is well) how the names a workload
// recorded (all levels, in order) differ from the catalog's promise:
// every action the scenario records on every run (AlwaysAtomics) and
// otherwise only actions it may record (Atomics), in the catalog's order.
// An action timed under a condition the task's arguments do not meet
// (create_subnet's router interface, without a router) is not recorded.
func promisedAtomics(sc *catalog.Scenario, recorded []string) string {
	var may []string
	for _, a := range sc.Atomics {
		if slices.Contains(recorded, a) {
			may = append(may, a)
		}
	}
	always := sc.AlwaysAtomics()
	for _, a := range always {
		if !slices.Contains(recorded, a) {
			return fmt.Sprintf("atomics recorded %q lack %s, which the catalog says every run records (%q)", recorded, a, always)
		}
	}
	if !slices.Equal(may, recorded) {
		return fmt.Sprintf("atomics recorded %q, the catalog promises them in order within %q (always %q)", recorded, sc.Atomics, always)
	}
	return ""
}

// initAndRun scaffolds dir with the smoke profile, runs the generated task
// on the cloud and checks the results against the catalog.
func initAndRun(t *testing.T, dir, taskName string, viaEnv bool) {
	if err := os.RemoveAll(filepath.Join(dir, "rally-jobs")); err != nil {
		t.Fatal(err)
	}
	if _, se, code := rf(t, cloud, "init", "--profile", "smoke", dir); code != 0 {
		t.Fatalf("init exit %d: %s", code, se)
	}
	task := filepath.Join(dir, "rally-jobs", taskName)
	before := identity(t)
	res, _ := runTask(t, cloud, t.TempDir(), task)
	checkCatalogAtomics(t, res)
	// The env is reused by name: --env runs the same task on it.
	if viaEnv {
		if so, se, code := rf(t, cloud, "run", "--state", state, "--env", res.Env, "--out", t.TempDir(), task); code != 0 {
			t.Errorf("run --env %s: exit %d\n%s\n%s", res.Env, code, so, se)
		}
	}
	t.Logf("%d workloads, atomics match the catalog; setup %.1fs, rally task start %.1fs, exports %.1fs",
		len(res.Workloads), res.SetupSeconds, res.TaskSeconds, res.ExportSeconds)
	after := identity(t)
	if !slices.Equal(before, after) {
		t.Errorf("identity objects changed by the run:\nbefore %q\nafter  %q", before, after)
	}
}

// The keystone and glance skeletons' smoke tasks run in TestCloud/identity
// and TestCloud/image; the demo service's here, once more on its env.
func TestDemoServiceSmoke(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo-service")
	if out, err := exec.Command("cp", "-a", filepath.Join(root, "examples/demo-service"), dir).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v %s", err, out)
	}
	initAndRun(t, dir, "task-demo-service.yaml", true)
}

// TestBadInput: each failure is one line on stderr with the right exit code.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	task := "---\nversion: 2\ntitle: t\nsubtasks:\n  - title: a\n    scenario: {Authenticate.keystone: {}}\n    runner: {constant: {times: 1, concurrency: 1}}\n"
	if err := os.WriteFile(good, []byte(task), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(task, "Authenticate.keystone", "Authenticate.no_such_thing", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	norally := t.TempDir() // a PATH with go's tools but no rally
	cases := []struct {
		name string
		env  []string
		task string
		code int
		want string
	}{
		{"unreachable", setenv(cloud, "OS_AUTH_URL=http://127.0.0.1:5999/v3"), good, 1, "cannot reach the cloud at OS_AUTH_URL http://127.0.0.1:5999/v3"},
		{"wrong password", setenv(cloud, "OS_PASSWORD=wrong"), good, 1, "Failed to authenticate to http://127.0.0.1:5000/v3 for user 'admin'"},
		{"wrong user password", setenv(cloud, "RALLYFORGE_USER_PASSWORD=wrong"), good, 1, "Failed to authenticate to http://127.0.0.1:5000/v3 for user 'rally'"},
		{"rejected task", cloud, bad, 2, `there is no scenario plugin "Authenticate.no_such_thing"`}, // lint, before the cloud
		{"rally missing", setenv(cloud, "PATH="+norally), good, 2, rallyrun.InstallHint},
		{"no OS_AUTH_URL", setenv(cloud, "OS_AUTH_URL="), good, 2, "OS_AUTH_URL is not set"},
		{"unknown env", cloud, good, 2, `rally env "no-such-env" does not exist`},
		{"task missing", cloud, filepath.Join(dir, "nope.yaml"), 2, "not a task file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			args := []string{"run", "--state", state, "--out", t.TempDir(), c.task}
			if c.name == "unknown env" {
				args = append(args, "--env", "no-such-env")
			}
			_, se, code := rf(t, c.env, args...)
			timing["bad input "+c.name] = time.Since(start)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, se)
			}
			var lines []string
			for _, l := range strings.Split(strings.TrimSpace(se), "\n") {
				if strings.HasPrefix(l, "rallyforge: ") {
					lines = append(lines, l)
				}
			}
			if len(lines) != 1 || !strings.Contains(lines[0], c.want) {
				t.Errorf("want one rallyforge: line containing %q, got:\n%s", c.want, se)
			}
		})
	}
}

// TestInterrupted: SIGINT during a run ends with one line, exit 1, and the
// results Rally recorded so far are exported, not lost.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-a", filepath.Join(root, "examples/demo-service"), dir).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v %s", err, out)
	}
	repo := filepath.Join(dir, "demo-service")
	if _, se, code := rf(t, cloud, "init", "--profile", "smoke", repo); code != 0 {
		t.Fatalf("init exit %d: %s", code, se)
	}
	before := identity(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "run", "--state", state, "--out", out, filepath.Join(repo, "rally-jobs", "task-demo-service.yaml"))
	cmd.Env = cloud
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(stderr)
	sent := false
	for sc.Scan() {
		l := sc.Text()
		lines = append(lines, l)
		// interrupt once the first workload is done
		if !sent && strings.Contains(l, "Finished workload 1/") {
			_ = cmd.Process.Signal(os.Interrupt)
			sent = true
		}
	}
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !sent || !ok || ee.ExitCode() != 1 {
		t.Fatalf("sent=%v err=%v; stderr:\n%s", sent, err, strings.Join(lines, "\n"))
	}
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "rallyforge: run interrupted; partial results of task ") {
		t.Errorf("last line %q", last)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil || !bytes.Contains(b, []byte("KeystoneBasic.create_delete_user")) {
		t.Errorf("partial report.json missing or without the finished workload: %v", err)
	}
	if after := identity(t); !slices.Equal(before, after) {
		t.Errorf("identity objects changed by the interrupted run:\nbefore %q\nafter  %q", before, after)
	}
}

// TestGateLayout: a task in rally-jobs/ whose scenario is a plugin in
// rally-jobs/plugins and reads a file through ~/.rally/extra, as at the
// gate; its runner size comes from --task-args-file overridden by
// --task-args.
func TestGateLayout(t *testing.T) {
	repo := t.TempDir()
	files := map[string]string{
		"rally-jobs/plugins/extra_reader.py": `import os

from rally.task import atomic
from rally.task import scenario


@scenario.configure(name="RallyforgeE2E.read_extra")
class ReadExtra(scenario.Scenario):
    def run(self):
        with atomic.ActionTimer(self, "e2e.read_extra"):
            with open(os.path.expanduser("~/.rally/extra/data.txt")) as f:
                self.assertEqual(f.read().strip(), "from extra")
`,
		"rally-jobs/extra/data.txt": "from extra\n",
		"rally-jobs/args.yaml":      "times: 5\nconcurrency: 1\n",
		"rally-jobs/task.yaml": `---
version: 2
title: gate layout
subtasks:
  - title: extra
    scenario: {RallyforgeE2E.read_extra: {}}
    runner: {constant: {times: {{ times }}, concurrency: {{ concurrency }}}}
    sla: {failure_rate: {max: 0}}
`,
	}
	for rel, body := range files {
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jobs := filepath.Join(repo, "rally-jobs")
	so, se, code := rf(t, cloud, "run", "--format", "json", "--state", state,
		"--task-args-file", filepath.Join(jobs, "args.yaml"), "--task-args", `{"times": 3}`, filepath.Join(jobs, "task.yaml"))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, so, se)
	}
	var res rallyrun.Result
	if err := json.Unmarshal([]byte(so), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Workloads) != 1 || res.Workloads[0].Iterations != 3 || res.Workloads[0].Failed != 0 ||
		!slices.Equal(res.Workloads[0].Atomics, []string{"e2e.read_extra"}) {
		t.Errorf("workloads %+v", res.Workloads)
	}
	// default results folder: next to the task
	if _, err := os.Stat(filepath.Join(jobs, "task.results", "report.json")); err != nil {
		t.Errorf("results not next to the task: %v", err)
	}
}
