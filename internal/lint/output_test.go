package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A finding on a very long line (a minified JSON task) quotes a window of
// it around the column, with the caret still under the offending key.
func TestWriteTextLongLine(t *testing.T) {
	dir := t.TempDir()
	long := `{"A.b": [{"runner": {"type": "constant"}, "args": {` + strings.Repeat(`"k": 1, `, 100) + `"bad": 1, ` + strings.Repeat(`"z": 2, `, 100) + `"end": 0}}]}`
	path := filepath.Join(dir, "t.json")
	if err := os.WriteFile(path, []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	col := strings.Index(long, `"bad"`) + 1
	var b strings.Builder
	WriteText(&b, []Finding{{File: path, Line: 1, Column: col, Severity: Error, Rule: "r", Message: "m"}})
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want finding, excerpt, caret:\n%s", b.String())
	}
	src, caret := []rune(lines[1]), lines[2]
	if len(src) > maxExcerpt+2+2 || !strings.HasPrefix(lines[1], "  …") || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("excerpt not cut to a window: %q", lines[1])
	}
	at := len(caret) - 1
	if caret[at] != '^' || !strings.HasPrefix(string(src[at:]), `"bad"`) {
		t.Errorf("caret not under the key:\n%s\n%s", lines[1], caret)
	}
	// A short line is quoted whole.
	if s, c := excerpt("a: 1", 1); s != "a: 1" || c != 1 {
		t.Errorf("short line: %q %d", s, c)
	}
	// Near either end the window keeps the line's own edge.
	if s, c := excerpt(strings.Repeat("x", 500), 3); !strings.HasPrefix(s, "xxx") || strings.HasPrefix(s, "…") || c != 3 {
		t.Errorf("start: %q %d", s, c)
	}
	if s, c := excerpt(strings.Repeat("x", 500), 499); !strings.HasPrefix(s, "…") || strings.HasSuffix(s, "…") || []rune(s)[c-1] != 'x' || c != maxExcerpt {
		t.Errorf("end: %q %d", s, c)
	}
}
