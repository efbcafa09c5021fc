package plugingen

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

var hostileTypes = []string{"x\"\nimport os #", "x'y", "Compute", "a b", "a--b", "-a", "a/b", "{{x}}", "a\x1b[2J", strings.Repeat("a", 65)}

// --service-type and the project name reach Python, YAML and file names:
// anything outside the authority's form is refused before rendering.
func TestBuildRefusesHostileNames(t *testing.T) {
	dir := testcorpus.Copy(t, "placement")
	for _, st := range hostileTypes {
		if _, err := Build(dir, "placement", st); err == nil {
			t.Errorf("service type %q accepted", st)
		}
	}
	for _, pr := range []string{"../x", "a/b", "x\"\nimport os #", "", ".hidden", "a b"} {
		if _, err := Build(dir, pr, "placement"); err == nil {
			t.Errorf("project %q accepted", pr)
		}
	}
	if _, err := Build(dir, "placement", "new-service2"); err != nil {
		t.Errorf("a well-formed unknown type is refused: %v", err)
	}
}

// Even a plan built around the checks renders every string quoted for its
// language: the module is valid Python whose only imports are the
// template's, and PyYAML reads the task's strings back unchanged.
func TestRenderQuotesEveryString(t *testing.T) {
	dir := testcorpus.Copy(t, "placement")
	p, err := Build(dir, "placement", "placement")
	if err != nil {
		t.Fatal(err)
	}
	p.ServiceType = "x\"\nimport os #{{ 7*7 }}\"\"\"\\"
	p.Project = "y\"\"\"\nimport sys #"
	files, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	py := `import ast, sys, yaml, jinja2
mod = ast.parse(open(sys.argv[1]).read())
imports = sorted(ast.unparse(n) for n in ast.walk(mod) if isinstance(n, (ast.Import, ast.ImportFrom)))
assert not any(" os" in i or " sys" in i for i in imports), imports
assert not [n for n in mod.body[1:] if isinstance(n, ast.Expr)], "a statement injected at module level"
timers = [d.args[0].value for n in ast.walk(mod) if isinstance(n, ast.FunctionDef) for d in n.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "action_timer"]
assert timers and all(isinstance(t, str) for t in timers), timers
st = [n.value.value for n in mod.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "SERVICE_TYPE"]
assert st == [sys.argv[3]], st
task = yaml.safe_load(jinja2.Environment().from_string(open(sys.argv[2]).read()).render())
assert task["title"] == "Rally task for %s (%s)" % (sys.argv[4], sys.argv[3]), task["title"]
`
	tmp := t.TempDir()
	var paths []string
	for _, f := range files {
		p := tmp + "/" + strings.ReplaceAll(f.Path, "/", "_")
		if err := writeFile(p, f.Content); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", py, paths[0], paths[1], p.ServiceType, p.Project).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }
