package detect

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/pyproject"
	"github.com/rallyforge/rallyforge/internal/servicetypes"
	"github.com/rallyforge/rallyforge/internal/setupcfg"
	"go.yaml.in/yaml/v3"
)

// maxDataFile bounds what is read of any one file: metadata files of real
// repositories are a few KiB; a 100 MB setup.cfg is input to refuse, not
// to read.
const maxDataFile = 1 << 20

// maxWalk bounds the walk so that a pathological tree cannot stall detect.
const maxWalk = 200000

// facts is everything the walk and the metadata readers collected; the
// verdict is computed from it by classify.
type facts struct {
	root      string
	top       []string // top-level entry names
	files     int      // regular files seen (excluding .git)
	gitreview string   // project from .gitreview ("nova")
	cfg       *setupcfg.File
	py        *pyproject.File
	readme    string // first paragraphs of README*
	readmeAt  string // which README file
	// readmeEOL: the README is OpenStack's end-of-life notice (it points
	// to the last commit with content, "git checkout HEAD^1").
	readmeEOL bool
	pkgDirs   []string // top-level folders holding an __init__.py
	topShell  bool     // a shell script at the top level (stack.sh, grenade.sh)
	apiRef    bool
	apiPaste  []string // etc/<x>/api-paste.ini and similar
	devstack  bool
	devSvc    [][2]string // get_or_create_service name, type
	taskFiles []string
	zuulFiles []string
	zuulJobs  []string
	problems  []Evidence // unreadable or malformed inputs
}

// Detect examines the repository at dir. It returns an error only when dir
// itself cannot be used (missing, not a folder); anything odd inside the
// repository becomes evidence or a kind of unknown with a reason.
func Detect(dir string) (*Result, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such directory", dir)
		}
		return nil, fmt.Errorf("%s: %v", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	f := &facts{root: dir}
	if err := f.walk(); err != nil {
		return nil, fmt.Errorf("%s: %v", dir, err)
	}
	f.readMetadata()
	return classify(dir, f), nil
}

var (
	reV2Yaml  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s{0,4}["']?subtasks["']?\s*:`) })
	reV2Ver   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s{0,4}["']?version["']?\s*:\s*["']?2`) })
	reV2JSON  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"subtasks"\s*:`) })
	reV2JSONv = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"version"\s*:\s*2`) })
	reV1      = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?m)^\s{0,4}["']?[A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]*["']?\s*:\s*(\[|$)`)
	})
	reDevSvc = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`get_or_create_service\s+["']?([A-Za-z0-9_.-]+)["']?\s+["']?([a-z0-9-]+)["']?`)
	})
	readmeName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^README(\.rst|\.md|\.txt)?$`) })
)

func (f *facts) walk() error {
	n := 0
	return filepath.WalkDir(f.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == f.root {
				return err
			}
			rel, _ := filepath.Rel(f.root, p)
			f.problems = append(f.problems, Evidence{"unreadable", rel, err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == f.root {
			return nil
		}
		n++
		if n > maxWalk {
			f.problems = append(f.problems, Evidence{"truncated", ".", fmt.Sprintf("walk stopped after %d entries", maxWalk)})
			return fs.SkipAll
		}
		rel, _ := filepath.Rel(f.root, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		depth := strings.Count(rel, "/")
		if depth == 0 {
			f.top = append(f.top, name)
		}
		if d.IsDir() {
			switch name {
			case ".git", "node_modules", ".tox", "__pycache__", ".venv":
				return fs.SkipDir
			}
			if rel == "api-ref/source" {
				f.apiRef = true
			}
			if rel == "devstack" {
				f.devstack = true
			}
			return nil
		}
		// Symlinks are never followed (WalkDir does not); a symlink to a
		// file counts as a path only.
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		f.files++
		// An importable package is a top-level folder with an __init__.py:
		// a folder of shell fragments or data (grenade's projects/, a
		// charm's templates/) is not one.
		if depth == 1 && name == "__init__.py" {
			if dir, _, _ := strings.Cut(rel, "/"); isPyIdent(dir) {
				f.pkgDirs = append(f.pkgDirs, dir)
			}
		}
		if depth == 0 && strings.HasSuffix(name, ".sh") {
			f.topShell = true
		}
		lower := strings.ToLower(rel)
		switch {
		case strings.HasPrefix(rel, "etc/") && strings.HasSuffix(name, "paste.ini"):
			f.apiPaste = append(f.apiPaste, rel)
		case (rel == ".zuul.yaml" || rel == "zuul.yaml" || ((strings.HasPrefix(rel, "zuul.d/") || strings.HasPrefix(rel, ".zuul.d/")) && depth == 1)) &&
			(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")):
			f.zuulFiles = append(f.zuulFiles, rel)
		case strings.HasPrefix(rel, "devstack/") && (name == "plugin.sh" || strings.HasPrefix(rel, "devstack/lib/")):
			if b, err := readSmall(p); err == nil {
				for _, m := range reDevSvc().FindAllSubmatch(b, -1) {
					f.devSvc = append(f.devSvc, [2]string{string(m[1]), string(m[2])})
				}
			}
		case (strings.Contains(lower, "rally") || strings.Contains(lower, "task")) &&
			(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".json")) &&
			!strings.HasPrefix(rel, "zuul.d/") && !strings.HasPrefix(rel, ".zuul.d/") &&
			!strings.HasPrefix(rel, "releasenotes/") && !strings.HasPrefix(rel, "api-ref/"):
			if b, err := readSmall(p); err == nil && looksLikeTask(b) {
				f.taskFiles = append(f.taskFiles, rel)
			}
		}
		return nil
	})
}

// looksLikeTask recognises a Rally task by its top level, before Jinja2
// rendering: v2 has version 2 and subtasks; v1 maps "Group.method" names
// to lists of workloads.
func looksLikeTask(b []byte) bool {
	if (reV2Yaml().Match(b) && reV2Ver().Match(b)) || (reV2JSON().Match(b) && reV2JSONv().Match(b)) {
		return true
	}
	if !reV1().Match(b) {
		return false
	}
	// A v1 workload carries at least one of these keys.
	for _, k := range []string{"runner", "args", "context", "sla"} {
		if bytes.Contains(b, []byte(k)) {
			return true
		}
	}
	return false
}

func isPyIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	switch s {
	case "doc", "docs", "tools", "releasenotes", "etc", "devstack", "playbooks", "roles", "tests", "specs", "api_ref", "contrib", "files", "samples", "data", "lib", "inc", "gate", "extras", "bin", "container", "kolla", "spec", "include", "examples":
		return false
	}
	return true
}

// readSmall reads a regular file up to maxDataFile and refuses larger ones
// and FIFOs, sockets and devices (which would hang or never end).
func readSmall(p string) ([]byte, error) {
	b, err := fsutil.ReadRegular(p, maxDataFile)
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return b, err
}

func (f *facts) readMetadata() {
	read := func(rel string) []byte {
		p := filepath.Join(f.root, rel)
		if _, err := os.Lstat(p); err != nil {
			return nil
		}
		b, err := readSmall(p)
		if err != nil {
			f.problems = append(f.problems, Evidence{"unreadable", rel, err.Error()})
			return nil
		}
		return b
	}
	if b := read(".gitreview"); b != nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			if ok && strings.TrimSpace(k) == "project" {
				v = strings.TrimSpace(v)
				v = strings.TrimSuffix(v, ".git")
				if i := strings.LastIndexByte(v, '/'); i >= 0 {
					v = v[i+1:]
				}
				f.gitreview = v
			}
		}
	}
	if b := read("setup.cfg"); b != nil {
		c, err := setupcfg.Parse(b)
		if err != nil {
			f.problems = append(f.problems, Evidence{"malformed", "setup.cfg", oneLine(err.Error())})
		} else {
			f.cfg = c
		}
	}
	if b := read("pyproject.toml"); b != nil {
		p, err := pyproject.Parse(b)
		if err != nil {
			f.problems = append(f.problems, Evidence{"malformed", "pyproject.toml", oneLine(err.Error())})
		} else {
			f.py = p
		}
	}
	for _, t := range []string{"README.rst", "README.md", "README.txt", "README"} {
		if fi, err := os.Lstat(filepath.Join(f.root, t)); err == nil && fi.Mode().IsRegular() {
			if b := read(t); b != nil {
				f.readme = firstParagraphs(string(b), 3)
				f.readmeEOL = bytes.Contains(b, []byte("HEAD^1")) || bytes.Contains(bytes.ToLower(b), []byte("no longer maintained"))
				f.readmeAt = t
			}
			break
		}
	}
	for _, z := range f.zuulFiles {
		b := read(z)
		// Only a file that mentions rally can define a Rally job; most Zuul
		// files are large and never do, so skip parsing them.
		if b == nil || !bytes.Contains(bytes.ToLower(b), []byte("rally")) {
			continue
		}
		var docs []map[string]any
		if err := yaml.Unmarshal(b, &docs); err != nil {
			f.problems = append(f.problems, Evidence{"malformed", z, oneLine(err.Error())})
			continue
		}
		for _, d := range docs {
			job, ok := d["job"].(map[string]any)
			if !ok {
				continue
			}
			name, _ := job["name"].(string)
			parent, _ := job["parent"].(string)
			if strings.Contains(name, "rally") || strings.Contains(parent, "rally") {
				f.zuulJobs = append(f.zuulJobs, name)
			}
		}
	}
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// firstParagraphs returns the first n prose paragraphs of a README, skipping
// title lines and their underlines.
func firstParagraphs(s string, n int) string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			flush()
			if len(out) >= n {
				break
			}
			continue
		}
		if strings.Trim(t, "=-~#*^") == "" || strings.HasPrefix(t, "..") || strings.HasPrefix(t, "|") {
			continue
		}
		cur = append(cur, t)
	}
	flush()
	return strings.Join(out, "\n")
}

// scenarioGroups lists the catalog's scenario groups for a service type.
func scenarioGroups(serviceType string) []string {
	c, err := catalog.Load()
	if err != nil || serviceType == "" {
		return []string{}
	}
	seen := map[string]bool{}
	out := []string{}
	for _, s := range c.Scenarios {
		if s.ServiceType == serviceType && !seen[s.Group] {
			seen[s.Group] = true
			out = append(out, s.Group)
		}
	}
	sort.Strings(out)
	return out
}

// lookupService is the authority lookup, kept as a variable-free helper so
// classify stays readable.
func lookupService(project string) (*servicetypes.Service, bool) {
	if project == "" {
		return nil, false
	}
	return servicetypes.ByProject(project)
}
