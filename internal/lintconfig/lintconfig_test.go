package lintconfig

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

var known = map[string]bool{"failure-rate": true, "quotas": true, "concurrency": true, "deprecated-v1": true, "unknown-scenario": true}

func isKnown(id string) bool { return known[id] }

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The [rallyforge] section of setup.cfg or tox.ini (flake8's convention
// and order: setup.cfg first): disabled rules, per-file ignores (fnmatch
// patterns relative to the config's folder, as flake8's), the catalog
// view; configparser syntax (continuation lines, comments and blank lines
// inside a value).
func TestFind(t *testing.T) {
	dir := t.TempDir()
	if c, err := Find(dir, isKnown); c != nil || err != nil {
		t.Fatalf("no config files: %+v %v", c, err)
	}
	write(t, dir, "setup.cfg", "[metadata]\nname = x\n")
	write(t, dir, "tox.ini", `[tox]
envlist = py3

[rallyforge]
disable = failure-rate,
    quotas
per-file-ignores =
    # legacy tasks stay as they are
    rally-jobs/legacy/*.yaml: deprecated-v1

    rally-jobs/nova.yaml: concurrency, failure-rate
catalog = installed
`)
	c, err := Find(dir, isKnown)
	if err != nil || c == nil {
		t.Fatalf("%+v %v", c, err)
	}
	if c.Path != filepath.Join(dir, "tox.ini") || c.Catalog != "installed" || strings.Join(c.Disable, " ") != "failure-rate quotas" || len(c.PerFile) != 2 {
		t.Fatalf("config %+v", c)
	}
	for _, x := range []struct {
		rule, file string
		want       bool
	}{
		{"quotas", "rally-jobs/a.yaml", true},
		{"concurrency", "rally-jobs/a.yaml", false},
		{"concurrency", "rally-jobs/nova.yaml", true},
		{"deprecated-v1", "rally-jobs/legacy/old.yaml", true},
		{"deprecated-v1", "rally-jobs/legacy/sub/old.yaml", true}, // fnmatch's * crosses /
		{"deprecated-v1", "rally-jobs/new.yaml", false},
		{"unknown-scenario", "rally-jobs/nova.yaml", false},
	} {
		if got := c.Suppressed(x.rule, filepath.Join(dir, x.file)); got != x.want {
			t.Errorf("%s in %s: suppressed %v, want %v", x.rule, x.file, got, x.want)
		}
	}
	// setup.cfg's section wins over tox.ini's.
	write(t, dir, "setup.cfg", "[metadata]\nname = x\n[rallyforge]\ndisable = concurrency\n")
	if c, err := Find(dir, isKnown); err != nil || c.Path != filepath.Join(dir, "setup.cfg") || strings.Join(c.Disable, ",") != "concurrency" {
		t.Errorf("setup.cfg first: %+v %v", c, err)
	}
}

// Mistakes are errors naming the file and line: an unknown rule id (in
// disable or per-file-ignores), an unknown key, a bad catalog view, a
// per-file entry without a colon, a file configparser cannot read.
func TestFindErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"[rallyforge]\ndisable = failure-rate, failur-rate\n", `tox.ini:2: [rallyforge] disable: unknown rule "failur-rate"`},
		{"[rallyforge]\nper-file-ignores =\n    a.yaml: quotas\n    b.yaml: nope\n", `tox.ini:4: [rallyforge] per-file-ignores: unknown rule "nope"`},
		{"[tox]\n\n[rallyforge]\nignore = quotas\n", `tox.ini:4: [rallyforge]: unknown key "ignore" (want disable, per-file-ignores, catalog)`},
		{"[rallyforge]\ncatalog = nightly\n", `tox.ini:2: [rallyforge] catalog: "nightly" (want auto, master, installed)`},
		{"[rallyforge]\nper-file-ignores = a.yaml quotas\n", `tox.ini:2: [rallyforge] per-file-ignores: "a.yaml quotas" is not PATTERN: RULES`},
		{"disable = x\n[rallyforge]\n", `tox.ini:`},
	} {
		dir := t.TempDir()
		write(t, dir, "tox.ini", c.text)
		_, err := Find(dir, isKnown)
		if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, c.want)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

// Values are read as Python's configparser reads them (flake8 reads its
// section with it): checked against /usr/bin/python3 on tricky layouts.
func TestAgreesWithConfigparser(t *testing.T) {
	testcorpus.Long(t)
	texts := []string{
		"[rallyforge]\ndisable = quotas\n",
		"[rallyforge]\ndisable =\n  quotas\n\n  # a comment inside\n  concurrency\n",
		"[rallyforge]\ndisable = quotas,concurrency ,failure-rate\n[other]\nx = 1\n",
		"[rallyforge]\nDISABLE = quotas\n",
		"[rallyforge]\ndisable: quotas\n",
	}
	for _, text := range texts {
		dir := t.TempDir()
		p := write(t, dir, "tox.ini", text)
		out, err := exec.Command("/usr/bin/python3", "-c", `import configparser,sys
c = configparser.RawConfigParser(); c.read(sys.argv[1])
print(" ".join(x for x in c.get("rallyforge", "disable").replace(",", " ").split()))`, p).Output()
		if err != nil {
			t.Fatalf("python3: %v", err)
		}
		c, err := Find(dir, isKnown)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if got, want := strings.Join(c.Disable, " "), strings.TrimSpace(string(out)); got != want {
			t.Errorf("%q: disable %q, configparser %q", text, got, want)
		}
	}
}

// Inline ignores: "# rallyforge: ignore[rule, …]" (a YAML comment, or a
// Jinja2 comment in JSON tasks) on the finding's line.
func TestInline(t *testing.T) {
	for _, c := range []struct {
		line  string
		rules []string
	}{
		{"  runner: {constant: {times: 1}}  # rallyforge: ignore[concurrency]", []string{"concurrency"}},
		{`  "sla": {} {# rallyforge: ignore[failure-rate, quotas] #}`, []string{"failure-rate", "quotas"}},
		{"# rallyforge:ignore[quotas]", []string{"quotas"}},
		{"  scenario: x  # noqa", nil},
		{"  x: '# rallyforge: ignore' ", nil},
	} {
		got := Inline(c.line)
		if strings.Join(got, ",") != strings.Join(c.rules, ",") {
			t.Errorf("%q: %q, want %q", c.line, got, c.rules)
		}
	}
}
