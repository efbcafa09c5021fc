package buildinfo

// The distribution tests build what `make dist` ships and use it the way an
// OpenStack project would: the wheel installed offline into a fresh venv,
// the binary's --version and lint run from there, and the README's tox
// environment run by Debian's tox against the wheel.

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

const validTask = `---
version: 2
title: Keystone authentication
subtasks:
  - title: authenticate
    scenario:
      Authenticate.keystone: {}
    runner:
      constant:
        times: 2
        concurrency: 1
    contexts:
      users:
        tenants: 1
        users_per_tenant: 1
`

// The wheel of each platform carries that platform's binary as an
// executable script and is tagged so pip picks it on that platform only.
func TestWheelPerPlatform(t *testing.T) {
	root := testcorpus.ModuleRoot()
	tmp := t.TempDir()
	fake := filepath.Join(tmp, "rallyforge")
	if err := os.WriteFile(fake, []byte("not really a binary"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"linux/amd64":  "py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.musllinux_1_1_x86_64.whl",
		"linux/arm64":  "py3-none-manylinux2014_aarch64.manylinux_2_17_aarch64.musllinux_1_1_aarch64.whl",
		"darwin/amd64": "py3-none-macosx_12_0_x86_64.whl",
		"darwin/arm64": "py3-none-macosx_12_0_arm64.whl",
	}
	for platform, suffix := range want {
		out := filepath.Join(tmp, strings.ReplaceAll(platform, "/", "-"))
		cmd := exec.Command("/usr/bin/python3", filepath.Join(root, "scripts/dist/wheel.py"),
			"--version", "1.2.3.dev4+gabc", "--platform", platform, "--binary", fake,
			"--license", filepath.Join(root, "LICENSE"), "--out", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: wheel.py: %v\n%s", platform, err, b)
		}
		whl := filepath.Join(out, "rallyforge-1.2.3.dev4+gabc-"+suffix)
		z, err := zip.OpenReader(whl)
		if err != nil {
			entries, _ := os.ReadDir(out)
			t.Fatalf("%s: %v (wrote %v)", platform, err, entries)
		}
		var script *zip.File
		var record, meta, license string
		read := func(f *zip.File) string {
			r, _ := f.Open()
			defer r.Close()
			var b bytes.Buffer
			_, _ = b.ReadFrom(r)
			return b.String()
		}
		for _, f := range z.File {
			switch f.Name {
			case "rallyforge-1.2.3.dev4+gabc.data/scripts/rallyforge":
				script = f
			case "rallyforge-1.2.3.dev4+gabc.dist-info/RECORD":
				record = read(f)
			case "rallyforge-1.2.3.dev4+gabc.dist-info/METADATA":
				meta = read(f)
			case "rallyforge-1.2.3.dev4+gabc.dist-info/LICENSE":
				license = read(f)
			}
		}
		z.Close()
		if script == nil || script.Mode()&0o111 == 0 {
			t.Errorf("%s: the binary is not an executable script in the wheel", platform)
		}
		if !regexp.MustCompile(`(?m)^rallyforge-1\.2\.3\.dev4\+gabc\.data/scripts/rallyforge,sha256=[\w-]{43},19$`).MatchString(record) {
			t.Errorf("%s: RECORD does not hash the binary:\n%s", platform, record)
		}
		// pip show and license scanners read these: the wheel says what
		// the repository's LICENSE says, and carries the text.
		if !strings.Contains(meta, "\nLicense: Apache-2.0\n") || !strings.Contains(meta, "\nLicense-File: LICENSE\n") {
			t.Errorf("%s: METADATA names no licence:\n%s", platform, meta)
		}
		if !strings.Contains(license, "Apache License") || !strings.Contains(license, "Version 2.0, January 2004") {
			t.Errorf("%s: the wheel does not carry the LICENSE text (%d bytes)", platform, len(license))
		}
	}
}

func TestDistInstallsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a release and a venv; run without -short")
	}
	for _, tool := range []string{"/usr/bin/python3", "tox", "pre-commit", "sha256sum", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make setup installs it (%v)", tool, err)
		}
	}
	root := testcorpus.ModuleRoot()
	tmp := t.TempDir()
	dist := filepath.Join(tmp, "dist")
	const version = "0.9.0.dev1+gtest"
	build := exec.Command("bash", "scripts/dist/build.sh")
	build.Dir = root
	build.Env = append(os.Environ(), "PLATFORMS="+runtime.GOOS+"/"+runtime.GOARCH, "DIST_DIR="+dist, "VERSION="+version)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/dist/build.sh: %v\n%s", err, out)
	}
	check := exec.Command("sha256sum", "--check", "--strict", "SHA256SUMS")
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("SHA256SUMS: %v\n%s", err, out)
	}
	wheels, _ := filepath.Glob(filepath.Join(dist, "rallyforge-"+version+"-py3-none-*.whl"))
	if len(wheels) != 1 {
		t.Fatalf("want one wheel for the platform, got %v", wheels)
	}

	// Offline into a fresh venv: nothing but the wheel.
	venv := filepath.Join(tmp, "venv")
	start := time.Now()
	run(t, tmp, nil, "/usr/bin/python3", "-m", "venv", venv)
	run(t, tmp, nil, filepath.Join(venv, "bin/pip"), "install", "--no-index", "--quiet", wheels[0])
	t.Logf("venv + wheel install: %s", time.Since(start).Round(time.Millisecond))
	exe := filepath.Join(venv, "bin/rallyforge")
	out := run(t, tmp, nil, exe, "--version")
	if first, _, _ := strings.Cut(out, "\n"); first != "rallyforge "+version || !strings.Contains(out, "rally-openstack") {
		t.Errorf("--version of the installed wheel:\n%s", out)
	}

	project := filepath.Join(tmp, "project")
	task := filepath.Join(project, "rally-jobs", "task-keystone.yaml")
	if err := os.MkdirAll(filepath.Dir(task), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, task, validTask)
	run(t, project, nil, exe, "lint")

	// The README's tox environment, as written there, against the wheel.
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- tox-example[^>]*-->\n```ini\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no tox example")
	}
	write(t, filepath.Join(project, "tox.ini"), "[tox]\nskipsdist = true\nenvlist = rally-lint\n\n"+string(m[1]))
	env := []string{"PIP_NO_INDEX=1", "PIP_FIND_LINKS=" + dist, "TOX_TESTENV_PASSENV=PIP_*", "PIP_DISABLE_PIP_VERSION_CHECK=1"}
	toxEnv := regexp.MustCompile(`\[testenv:([\w-]+)\]`).FindSubmatch(m[1])
	if toxEnv == nil {
		t.Fatal("the tox example names no testenv")
	}
	start = time.Now()
	run(t, project, env, "tox", "-e", string(toxEnv[1]))
	t.Logf("tox -e %s (fresh): %s", toxEnv[1], time.Since(start).Round(time.Millisecond))

	// And it fails the tox run when a task is wrong.
	write(t, task, strings.Replace(validTask, "Authenticate.keystone", "Authenticate.keystne", 1))
	tox := exec.Command("tox", "-e", string(toxEnv[1]))
	tox.Dir = project
	tox.Env = append(os.Environ(), env...)
	b, err := tox.CombinedOutput()
	if err == nil || !strings.Contains(string(b), `no scenario plugin "Authenticate.keystne"`) {
		t.Errorf("tox with a wrong task: err %v\n%s", err, b)
	}

	// The README's pre-commit configuration, in a git repository, offline.
	m = regexp.MustCompile("(?s)<!-- pre-commit-example[^>]*-->\n```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no pre-commit example")
	}
	write(t, filepath.Join(project, ".pre-commit-config.yaml"), string(m[1]))
	pcEnv := append(env, "PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"))
	run(t, project, nil, "git", "init", "--quiet")
	run(t, project, nil, "git", "add", "rally-jobs", ".pre-commit-config.yaml")
	pc := exec.Command("pre-commit", "run", "--all-files")
	pc.Dir = project
	pc.Env = append(os.Environ(), pcEnv...)
	if b, err := pc.CombinedOutput(); err == nil || !strings.Contains(string(b), `no scenario plugin "Authenticate.keystne"`) {
		t.Errorf("pre-commit with a wrong task: err %v\n%s", err, b)
	}
	write(t, task, validTask)
	start = time.Now()
	run(t, project, pcEnv, "pre-commit", "run", "--all-files")
	t.Logf("pre-commit run (environment made on first run): %s", time.Since(start).Round(time.Millisecond))
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
