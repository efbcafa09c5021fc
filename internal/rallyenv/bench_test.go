package rallyenv

import (
	"os"
	"testing"
)

// The common case: the release the catalog was generated from.
func BenchmarkFind(b *testing.B) {
	env := os.Environ()
	for b.Loop() {
		Find(env, "2.2.0")
	}
}

// Another release: the site folder is listed.
func BenchmarkFindOther(b *testing.B) {
	env := os.Environ()
	for b.Loop() {
		Find(env, "9.9.9")
	}
}
