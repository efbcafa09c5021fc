package task

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A "billion laughs" in --task-args or --task-args-file is refused as
// it is in a task, quickly and in bounded memory (it took 16.8 GB and 52 s,
// then exit 0).
func TestArgsAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(`a: &a ["x","x","x","x","x","x","x","x","x"]` + "\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n")
		prev = n
	}
	bomb := b.String()
	f := filepath.Join(t.TempDir(), "args.yaml")
	os.WriteFile(f, []byte(bomb), 0o644)
	start := time.Now()
	if _, err := Args(bomb, ""); err == nil || !strings.Contains(err.Error(), "aliasing") {
		t.Errorf("--task-args bomb: %v", err)
	}
	if _, err := Args("", f); err == nil || !strings.Contains(err.Error(), "aliasing") {
		t.Errorf("--task-args-file bomb: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	// Ordinary aliases still work.
	m, err := Args("base: &b {image: cirros}\nother: *b\n", "")
	if err != nil || m["other"].(map[string]any)["image"] != "cirros" {
		t.Errorf("aliases: %v %v", m, err)
	}
}
