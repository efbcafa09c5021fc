package yaml

import (
	"errors"
	"testing"
)

// Syntax errors point at the offending line, not at the start of the
// enclosing block as the YAML library reports.
func TestSyntaxErrorLine(t *testing.T) {
	cases := []struct {
		src  string
		line int
	}{
		{"a:\n  b: 1\n  c: 2\n d: 3\n", 4},
		{"{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}\n", 4},
		{"version: 2\ntitle: t\nsubtasks:\n  - title: x\n    scenario: {Dummy.dummy: {}\n    runner: {}\n", 6},
	}
	for _, c := range cases {
		_, err := Load([]byte(c.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: want a syntax error, got %v", c.src, err)
			continue
		}
		if se.Pos.Line != c.line {
			t.Errorf("%q: error at line %d, want %d (%s)", c.src, se.Pos.Line, c.line, se.Msg)
		}
	}
}
