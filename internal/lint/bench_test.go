package lint

import (
	"path/filepath"
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// BenchmarkCatalogView is the per-process start-up cost: decode the
// embedded catalog and build the master view.
func BenchmarkCatalogView(b *testing.B) {
	for b.Loop() {
		if _, err := catalog.Load(); err != nil {
			b.Fatal(err)
		}
		View(false)
	}
}

// BenchmarkLintFile lints rally-openstack's rally-jobs/nova.yaml (58
// workloads) with a warm catalog.
func BenchmarkLintFile(b *testing.B) {
	p := filepath.Join(testcorpus.Repo(b, "rally-openstack"), "rally-jobs", "nova.yaml")
	opts := Options{Catalog: View(false)}
	for b.Loop() {
		if _, err := File(p, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpus lints all 790 corpus task files (in their unpacked
// repositories) per iteration, warm catalog.
func BenchmarkCorpus(b *testing.B) {
	files := corpusTasksB(b)
	opts := Options{Catalog: View(false)}
	for b.Loop() {
		if _, err := Paths(files, opts); err != nil {
			b.Fatal(err)
		}
	}
}
