package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// configureRe finds @scenario.configure(name="Group.method" ...) in a
// plugin file (the decorator may span lines; the name is a literal).
var configureRe = regexp.MustCompile(`(?s)@(?:scenario\.)?configure\(\s*(?:[^)]*?\b)?name\s*=\s*["']([^"']+)["']`)

// localScenarios lists the scenarios a repository defines itself in
// rally-jobs/plugins/**/*.py (what the gate loads with --plugin-paths),
// plus any extra plugin folders.
func localScenarios(root string, extra []string) map[string]bool {
	key := root + "\x00" + strings.Join(extra, "\x00")
	if m, ok := localCache.Load(key); ok {
		return m.(map[string]bool)
	}
	m := scanScenarios(root, extra)
	localCache.Store(key, m)
	return m
}

// localCache: one walk per repository and process (a folder of tasks
// shares its plugins); read-only once stored.
var localCache sync.Map

func scanScenarios(root string, extra []string) map[string]bool {
	dirs := append([]string{filepath.Join(root, "rally-jobs", "plugins")}, extra...)
	out := map[string]bool{}
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".py") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for _, m := range configureRe.FindAllSubmatch(b, -1) {
				out[string(m[1])] = true
			}
			return nil
		})
	}
	return out
}
