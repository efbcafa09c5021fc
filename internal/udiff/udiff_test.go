package udiff

import "testing"

func TestUnified(t *testing.T) {
	old := []byte("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n")
	new := []byte("a\nb\nc\nX\nd\ne\nf\ng\nh\ni\nj\nY\n")
	got := Unified("f.txt", old, new)
	// 7 equal lines between the changes (> 2×3 context): two hunks.
	want := "--- a/f.txt\n+++ b/f.txt\n@@ -1,6 +1,7 @@\n a\n b\n c\n+X\n d\n e\n f\n@@ -8,4 +9,4 @@\n h\n i\n j\n-k\n+Y\n"
	if got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	if d := Unified("n", nil, []byte("x\n")); d != "--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n" {
		t.Errorf("new file diff %q", d)
	}
	if Unified("s", old, old) != "" {
		t.Error("equal files give a diff")
	}
}
