package pyschema

import (
	"encoding/json"
	"os/exec"
	"testing"
)

// TestPatternCompilesAsPython: compilePattern accepts a pattern where
// Python's re.compile does, for the corners where re and RE2 disagree on
// what is a pattern (repeated anchors, braces). Lookarounds and
// backreferences, possessive quantifiers and atomic groups (3.11) are
// the documented exception: Python accepts them, Go
// cannot run them, and Compile refuses the schema.
func TestPatternCompilesAsPython(t *testing.T) {
	requirePython(t)
	patterns := []string{
		"^$*", "$+", "^?", `\b*`, `\A{2}`, "^{", "^{,}", "^{,2}", "^{2,}", "^{a}", "a$", "[$*]", "(^)*",
		`\$*`, "a*", "^a*", `\Z+`, `\B?`, "[^]$*]", `[\]]*`, "a{,3}", "a{2,1}", "x**", "(?:)*", "a|*",
		"^[a-z]+$", `^\d{1,3}(\.\d{1,3}){3}$`, "[", "(", ")", "a{1", `\`, "(?P<n>a)(?P=n)", "(?=a)", "a++", "(?>a)",
	}
	out, err := exec.Command(python, "-c", `
import json, re, sys
res = []
for p in json.loads(sys.argv[1]):
    try:
        re.compile(p)
        res.append(True)
    except re.error:
        res.append(False)
print(json.dumps(res))
`, mustJSON(patterns)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var py []bool
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatal(err)
	}
	unsupported := map[string]bool{"(?P<n>a)(?P=n)": true, "(?=a)": true, "a++": true, "(?>a)": true}
	for i, p := range patterns {
		_, err := compilePattern(p)
		if (err == nil) != py[i] && !(unsupported[p] && py[i]) {
			t.Errorf("pattern %q: Python compiles it: %v; Go: %v", p, py[i], err)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
