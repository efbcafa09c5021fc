package rallyenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func touch(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

// A rally in a virtualenv: its script's interpreter names the venv, whose
// site-packages holds rally_openstack's dist-info (pip) — or egg-info
// (setup.py, Debian), with or without a -pyX.Y tag.
func TestFindVenv(t *testing.T) {
	for _, c := range []struct{ meta, want string }{
		{"rally_openstack-3.0.0.dist-info", "3.0.0"},
		{"rally_openstack-2.1.0-py3.11.egg-info", "2.1.0"},
		{"rally_openstack-2.2.0.egg-info", "2.2.0"},
		{"rally_openstack-2.2.0-py3.11.egg-info", "2.2.0"},
		{"rally_openstack-2.2.0.dist-info", "2.2.0"},
	} {
		for _, likely := range []string{"", "2.2.0"} {
			venv := t.TempDir()
			touch(t, filepath.Join(venv, "bin", "python3"), "", 0o755)
			touch(t, filepath.Join(venv, "bin", "rally"), "#!"+filepath.Join(venv, "bin", "python3")+"\nimport sys\n", 0o755)
			site := filepath.Join(venv, "lib", "python3.11", "site-packages")
			touch(t, filepath.Join(site, c.meta, "METADATA"), "Name: rally-openstack\n", 0o644)
			touch(t, filepath.Join(site, "rally_openstack", "__init__.py"), "", 0o644)
			touch(t, filepath.Join(site, "rally-3.4.0.dist-info", "METADATA"), "Name: rally\n", 0o644)
			in := Find([]string{"PATH=" + t.TempDir() + ":" + filepath.Join(venv, "bin")}, likely)
			if in == nil || in.RallyOpenStack != c.want || in.Site != site || in.Rally != filepath.Join(venv, "bin", "rally") {
				t.Errorf("%s (looking for %q first): %+v", c.meta, likely, in)
			}
		}
	}
	// rally without rally-openstack, and no rally at all.
	venv := t.TempDir()
	touch(t, filepath.Join(venv, "bin", "rally"), "#!/nonexistent/bin/python3\n", 0o755)
	if in := Find([]string{"PATH=" + filepath.Join(venv, "bin")}, "2.2.0"); in == nil || in.RallyOpenStack != "" {
		t.Errorf("rally alone: %+v", in)
	}
	if in := Find([]string{"PATH=" + t.TempDir()}, ""); in != nil {
		t.Errorf("no rally: %+v", in)
	}
}

// The system's own Rally (Debian's rally + python3-rally-openstack, which
// the test set-up installs): the version found is the one importlib.metadata
// reports in the interpreter that runs rally (not the python3 first on
// PATH, which may be another one).
func TestFindSystem(t *testing.T) {
	testcorpus.Long(t)
	rally, err := exec.LookPath("rally")
	if err != nil {
		t.Fatal("no rally on PATH: apt-get install -y rally python3-rally-openstack")
	}
	py := interpreter(rally, os.Getenv("PATH"))
	out, err := exec.Command(py, "-c", "import importlib.metadata as m; print(m.version('rally-openstack'))").Output()
	if err != nil {
		t.Fatalf("python3 cannot tell rally-openstack's version (install it: apt-get install -y rally python3-rally-openstack): %v", err)
	}
	for _, likely := range []string{"", "2.2.0", "0.1"} {
		in := Find(os.Environ(), likely)
		if in == nil || in.RallyOpenStack != strings.TrimSpace(string(out)) {
			t.Errorf("found %+v (looking for %q first), importlib.metadata says %s", in, likely, out)
		}
	}
}

// The view: the installed catalog view when the user's rally-openstack is
// the release it was generated from (or older: the nearest known), master
// when newer or when there is no Rally (the gate runs master).
func TestView(t *testing.T) {
	for _, c := range []struct {
		in        *Install
		installed bool
		why       string
	}{
		{nil, false, "no rally on PATH"},
		{&Install{Rally: "/usr/bin/rally"}, false, "rally-openstack not found"},
		{&Install{Rally: "/usr/bin/rally", RallyOpenStack: "2.2.0", Site: "/s"}, true, "rally-openstack 2.2.0 (/s)"},
		{&Install{Rally: "/usr/bin/rally", RallyOpenStack: "2.1.0", Site: "/s"}, true, "older"},
		{&Install{Rally: "/usr/bin/rally", RallyOpenStack: "3.0.0", Site: "/s"}, false, "newer"},
		{&Install{Rally: "/usr/bin/rally", RallyOpenStack: "2.2.1.dev12", Site: "/s"}, false, "newer"},
	} {
		installed, why := View(c.in, "2.2.0")
		if installed != c.installed || !strings.Contains(why, c.why) {
			t.Errorf("%+v: installed %v (%s), want %v with %q", c.in, installed, why, c.installed, c.why)
		}
	}
}
