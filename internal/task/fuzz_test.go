package task

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzArgs: any --task-args text (or file) gives a mapping or an error,
// never a panic, quickly, whatever its aliases.
func FuzzArgs(f *testing.F) {
	f.Add(`{"image_name": "cirros", "n": 3}`)
	f.Add("a: &a [1, 2]\nb: *a\n")
	f.Add("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n")
	f.Add("a: !!binary aGk=\nb: 0o17\nc: 1_000\n")
	f.Add("\xff\xfe")
	f.Add("- 1\n- 2\n")
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		_, err1 := Args(s, "")
		p := filepath.Join(t.TempDir(), "args.yaml")
		os.WriteFile(p, []byte(s), 0o644)
		_, err2 := Args("", p)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("inline and file disagree: %v / %v", err1, err2)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %s", d)
		}
	})
}
