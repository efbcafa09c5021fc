package yamlstr

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// Every string written with Scalar is read back by PyYAML as itself, after
// Jinja2 rendered the document the way Rally does (the oracle is the real
// PyYAML and Jinja2 that Rally uses).
func TestScalarRoundTripsThroughJinjaAndPyYAML(t *testing.T) {
	in := []string{
		"plain", "Rally task for demo (compute)", "yes", "No", "on", "OFF", "null", "Null", "~", "y",
		"1.5", "1e3", "0x1F", "012", ".inf", "-.nan", "2025-01-01", "1:20", "true",
		"a\tb", "tab\t", " lead", "trail ", "a: b", "a #b", "#c", "- x", "? x", "*alias", "&anchor",
		"!!null", "!tag", "'single'", `"double"`, `back\slash`, "{{ 7*7 }}", "{% raw %}", "{# c #}",
		"x\"\nimport os #", "line\r\nbreak", "\x00nul", "\x1b[31mred", "bom\ufeff", "nel\u0085",
		"ünï©ode", "€", "\u2028", "%percent", "@at", "`tick", "|pipe", ">fold", "[a]", "{a: b}", ",",
		"", "=", "<<",
	}
	doc := ""
	for i, s := range in {
		doc += "k" + strings.Repeat("x", i) + ": " + Scalar(s) + "\n"
	}
	py := `import sys, json, yaml, jinja2
src = sys.stdin.read()
env = jinja2.Environment()
out = env.from_string(src).render()
d = yaml.safe_load(out)
print(json.dumps([d["k" + "x" * i] for i in range(len(d))]))`
	cmd := exec.Command("/usr/bin/python3", "-c", py)
	cmd.Stdin = strings.NewReader(doc)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("PyYAML/Jinja2 refuse the document: %v\n%s\n%s", err, out, doc)
	}
	var got []any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for i, s := range in {
		if got[i] != s {
			t.Errorf("%q written as %s reads back as %#v", s, Scalar(s), got[i])
		}
	}
}
