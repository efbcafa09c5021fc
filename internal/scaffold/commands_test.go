package scaffold

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// shownCommands are the shell commands a generated reStructuredText file
// shows: the lines of its literal blocks ("::" paragraphs), a trailing
// backslash joining a line to the next.
func shownCommands(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	in := false
	cur := ""
	for _, l := range lines {
		switch {
		case strings.HasSuffix(strings.TrimSpace(l), "::"):
			in = true
			continue
		case in && strings.TrimSpace(l) == "":
			continue
		case in && strings.HasPrefix(l, "    "):
			cur += strings.TrimSpace(strings.TrimSuffix(l, "\\")) + " "
			if !strings.HasSuffix(l, "\\") {
				out = append(out, strings.TrimSpace(cur))
				cur = ""
			}
			continue
		}
		in = false
	}
	return out
}

// TestGeneratedCommandsRun runs every command the generated files show, in
// the initialised repository, with the real Rally and the rallyforge
// binary: the file copies and lint succeed; `rally … task start` (both the
// --plugin-paths and the RALLY_PLUGIN_PATHS form) gets through Rally's
// template rendering and syntax validation — every scenario plugin found,
// the repository's own ones included — and stops only at the cloud, which
// here is a closed port; `rallyforge run` too reaches the cloud; `rallyforge
// init` regenerates the task. A command the test has no check for fails
// it: a new command in a template needs one here.
func TestGeneratedCommandsRun(t *testing.T) {
	testcorpus.Long(t)
	if _, err := exec.LookPath("rally"); err != nil {
		t.Fatal("the real Rally is needed (scripts/install-deps.sh): ", err)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "rallyforge"), "./cmd/rallyforge")
	build.Dir = testcorpus.ModuleRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".rally"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := "[DEFAULT]\nlog_file = " + filepath.Join(home, "rally.log") + "\n[database]\nconnection = sqlite:///" + filepath.Join(home, "rally.sqlite") + "\n"
	if err := os.WriteFile(filepath.Join(home, ".rally", "rally.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	const cloud = "http://127.0.0.1:9/identity" // nothing listens on the discard port
	spec := `{"openstack": {"auth_url": "` + cloud + `", "region_name": "RegionOne", "admin": {"username": "admin", "password": "x", "project_name": "admin", "user_domain_name": "Default", "project_domain_name": "Default"}}}`
	if err := os.WriteFile(filepath.Join(home, "spec.json"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOME="+home, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"OS_AUTH_URL="+cloud, "OS_USERNAME=admin", "OS_PASSWORD=x", "OS_PROJECT_NAME=admin",
		"OS_USER_DOMAIN_NAME=Default", "OS_PROJECT_DOMAIN_NAME=Default", "OS_REGION_NAME=RegionOne")
	sh := func(dir, cmd string) (string, error) {
		c := exec.Command("sh", "-c", cmd)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		return string(out), err
	}
	for _, cmd := range []string{"rally db create", "rally env create --name rallyforge-test --spec " + filepath.Join(home, "spec.json")} {
		if out, err := sh(home, cmd); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
	}
	// heat: a covered service whose task reads extra/; masakari: a service
	// rally-openstack does not cover, whose scenarios are the repository's
	// own plugins (found only through --plugin-paths / RALLY_PLUGIN_PATHS).
	checked := map[string]int{}
	for _, name := range []string{"heat", "masakari"} {
		dir := testcorpus.Copy(t, name)
		os.RemoveAll(filepath.Join(dir, "rally-jobs"))
		// The binary: it has the plugin generator wired in for masakari.
		if out, err := sh(dir, "rallyforge init --no-zuul ."); err != nil {
			t.Fatalf("%s: init: %v\n%s", name, err, out)
		}
		for _, f := range []string{"rally-jobs/README.rst", "rally-jobs/plugins/README.rst", "rally-jobs/extra/README.rst"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "RALLY_PLUGINS_DIR") {
				t.Errorf("%s/%s names RALLY_PLUGINS_DIR, which Rally does not read", name, f)
			}
			for _, cmd := range shownCommands(string(b)) {
				out, err := sh(dir, cmd)
				fields := strings.Fields(cmd)
				switch {
				case fields[0] == "mkdir" || strings.HasPrefix(cmd, "rallyforge lint ") || strings.HasPrefix(cmd, "rallyforge init "):
					if err != nil {
						t.Errorf("%s/%s: %s: %v\n%s", name, f, cmd, err, out)
					}
					checked[fields[0]+" "+fields[1]]++
				case strings.Contains(cmd, "rally ") && strings.Contains(cmd, " task start "):
					if !strings.Contains(out, "Completed: Task validation of syntax.") || strings.Contains(out, "no such") ||
						strings.Contains(out, "There is no") || !strings.Contains(out, "127.0.0.1:9") {
						t.Errorf("%s/%s: %s did not get through Rally's syntax validation to the cloud:\n%s", name, f, cmd, tail(out))
					}
					checked["rally task start"]++
				case strings.HasPrefix(cmd, "rallyforge run "):
					if err == nil || !strings.Contains(out, "127.0.0.1:9") {
						t.Errorf("%s/%s: %s did not stop at the (closed) cloud: %v\n%s", name, f, cmd, err, tail(out))
					}
					checked["rallyforge run"]++
				default:
					t.Errorf("%s/%s shows a command this test does not run: %q", name, f, cmd)
				}
			}
		}
	}
	for _, c := range []string{"rally task start", "rallyforge run", "rallyforge lint", "mkdir -p"} {
		if checked[c] == 0 {
			t.Errorf("no generated file showed %q", c)
		}
	}
	t.Logf("commands run: %v", checked)
}

func tail(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	if len(l) > 8 {
		l = l[len(l)-8:]
	}
	return strings.Join(l, "\n")
}
