package apiref

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/fsutil"
)

// SourceDir is where os-api-ref projects keep their API reference.
const SourceDir = "api-ref/source"

// ErrNoAPIRef means the repository has no api-ref/source.
var ErrNoAPIRef = errors.New("no " + SourceDir + " directory")

// Ref is a parsed API reference.
type Ref struct {
	Ops      []Op      `json:"operations"`
	Findings []Finding `json:"findings,omitempty"`
	// Microversion is the highest documented microversion ("" when the
	// reference never mentions microversions).
	Microversion string `json:"microversion,omitempty"`
}

// Load parses every .inc and .rst under repo/api-ref/source. Files named
// by directives are read only inside repo.
func Load(repo string) (*Ref, error) {
	// fsutil.Within answers with the real absolute path; the walk's paths
	// are made relative to the same spelling of the repository, whatever
	// the caller's (".", "sub/dir", "../x", a symlink).
	given := repo
	repo, err := filepath.Abs(repo)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(repo); err == nil {
		repo = real
	}
	root, err := fsutil.Within(repo, SourceDir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s: %w", given, ErrNoAPIRef)
	}
	ref := &Ref{}
	paramCache := map[string]Params{}
	// Sphinx inlines .inc files into the .rst that includes them, so a
	// relative name may resolve against any folder up to the source root;
	// a leading "/" means the source root.
	read := func(from, name string) ([]byte, error) {
		var firstErr error
		dir := path.Dir(from)
		if strings.HasPrefix(name, "/") {
			dir, name = SourceDir, strings.TrimPrefix(name, "/")
		}
		for {
			abs, err := fsutil.Within(repo, path.Join(dir, name))
			if err == nil {
				var b []byte
				if b, err = fsutil.ReadRegular(abs, 0); err == nil {
					return b, nil
				}
			}
			if firstErr == nil {
				firstErr = err
				if errors.Is(err, fs.ErrNotExist) {
					firstErr = fmt.Errorf("%s: not found", path.Join(dir, name))
				}
			}
			if dir == SourceDir || dir == "." || !strings.HasPrefix(dir, SourceDir) {
				return nil, firstErr
			}
			dir = path.Dir(dir)
		}
	}
	microversioned := false
	var versions []string
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".inc") || strings.HasSuffix(p, ".rst")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, p := range files {
		rel, err := filepath.Rel(repo, p)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		data, err := fsutil.ReadRegular(p, 0)
		if err != nil {
			ref.Findings = append(ref.Findings, Finding{File: rel, Line: 1, Msg: err.Error()})
			continue
		}
		low := strings.ToLower(string(data))
		if strings.Contains(low, "microversion") || strings.Contains(low, "api-version") {
			microversioned = true
		}
		for _, m := range versionRe().FindAllStringSubmatch(string(data), -1) {
			versions = append(versions, m[1])
		}
		params := func(name string) (Params, error) {
			key := path.Join(path.Dir(rel), name)
			if ps, ok := paramCache[key]; ok {
				return ps, nil
			}
			b, err := read(rel, name)
			if err != nil {
				if ps, ok := standIn(repo, key, paramCache, ref); ok {
					return ps, nil
				}
				return nil, err
			}
			ps, fs := ParseParams(key, b)
			ref.Findings = append(ref.Findings, fs...)
			for _, p := range ps {
				if p.MinVersion != "" {
					versions = append(versions, p.MinVersion)
				}
			}
			paramCache[key] = ps
			return ps, nil
		}
		ops, fs := ParseRST(rel, data, read, params)
		ref.Ops = append(ref.Ops, ops...)
		ref.Findings = append(ref.Findings, fs...)
	}
	if microversioned {
		for _, v := range versions {
			if ref.Microversion == "" || CompareVersions(v, ref.Microversion) > 0 {
				ref.Microversion = v
			}
		}
	}
	return ref, nil
}

// standIn answers for a parameters file the reference names but does not
// ship: some projects generate it when the docs are built, from a
// hand-written part beside it (freezer-api's parameters.yaml from
// parameters-manual.yaml and its JSON schemas). The files named
// "<stem>-*.yaml" or "<stem>_*.yaml" in the same folder stand in for it,
// merged in name order; one finding on the first says so. The result is
// cached under the missing file's key.
func standIn(repo, key string, cache map[string]Params, ref *Ref) (Params, bool) {
	dir, base := path.Split(key)
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	if stem == base {
		return nil, false
	}
	abs, err := fsutil.Within(repo, dir)
	if err != nil {
		return nil, false
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, false
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && (strings.HasPrefix(n, stem+"-") || strings.HasPrefix(n, stem+"_")) &&
			(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, false
	}
	sort.Strings(names)
	out := Params{}
	for _, n := range names {
		b, err := fsutil.ReadRegular(filepath.Join(abs, n), 0)
		if err != nil {
			continue
		}
		ps, fs := ParseParams(path.Join(dir, n), b)
		ref.Findings = append(ref.Findings, fs...)
		for k, v := range ps {
			out[k] = v
		}
	}
	ref.Findings = append(ref.Findings, Finding{File: path.Join(dir, names[0]), Line: 1,
		Msg: fmt.Sprintf("stands in for %s, which the reference names but does not ship (generated when its docs are built)", base)})
	cache[key] = out
	return out, true
}

// Resource is a REST collection and its members.
type Resource struct {
	Name       string `json:"name"`   // singular snake_case
	Plural     string `json:"plural"` // snake_case of the collection segment
	Collection string `json:"collection"`
	Member     string `json:"member,omitempty"`
	IDParam    string `json:"id_param,omitempty"` // the member path's last {param}
	Create     *Op    `json:"-"`
	List       *Op    `json:"-"`
	Show       *Op    `json:"-"`
	Update     *Op    `json:"-"`
	Delete     *Op    `json:"-"`
	// Parents are the path parameters of the collection other than the
	// project: a nested resource needs its parent to exist first.
	Parents []string `json:"parents,omitempty"`
}

var paramSegRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{([^{}]+)\}$`) })

// ProjectParam tells path parameters that stand for the caller's project.
func ProjectParam(name string) bool {
	switch strings.ToLower(name) {
	case "project_id", "tenant_id", "projectid", "tenantid", "project", "tenant":
		return true
	}
	return false
}

// Resources groups the operations into collections (last segment static)
// and members (collection + "/{param}"), in documentation order.
func (r *Ref) Resources() []*Resource {
	byColl := map[string]*Resource{}
	var order []*Resource
	get := func(coll string) *Resource {
		if res, ok := byColl[coll]; ok {
			return res
		}
		segs := strings.Split(strings.Trim(coll, "/"), "/")
		last := segs[len(segs)-1]
		res := &Resource{Collection: coll, Plural: Snake(last), Name: Singular(Snake(last))}
		for _, s := range segs {
			if m := paramSegRe().FindStringSubmatch(s); m != nil && !ProjectParam(m[1]) {
				res.Parents = append(res.Parents, m[1])
			}
		}
		byColl[coll] = res
		order = append(order, res)
		return res
	}
	for i := range r.Ops {
		op := &r.Ops[i]
		if op.Path == "/" {
			continue
		}
		dir, last := path.Split(op.Path)
		if m := paramSegRe().FindStringSubmatch(last); m != nil {
			coll := strings.TrimSuffix(dir, "/")
			if coll == "" || paramSegRe().MatchString(path.Base(coll)) {
				continue // e.g. /{project_id}: not a member of anything
			}
			res := get(coll)
			if res.Member != "" && res.Member != op.Path {
				continue // a second spelling of the member; keep the first
			}
			res.Member, res.IDParam = op.Path, m[1]
			switch op.Verb {
			case "GET":
				setOnce(&res.Show, op)
			case "PUT", "PATCH":
				setOnce(&res.Update, op)
			case "DELETE":
				setOnce(&res.Delete, op)
			}
			continue
		}
		res := get(op.Path)
		switch op.Verb {
		case "GET":
			setOnce(&res.List, op)
		case "POST":
			setOnce(&res.Create, op)
		}
	}
	return order
}

func setOnce(dst **Op, op *Op) {
	if *dst == nil {
		*dst = op
	}
}

var nonWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Za-z0-9]+`) })
var camelBoundary = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([a-z0-9])([A-Z])`) })

// Snake is s as a snake_case Python name (os- prefix dropped, never
// starting with a digit).
func Snake(s string) string {
	s = strings.TrimPrefix(s, "os-")
	s = camelBoundary().ReplaceAllString(s, "${1}_${2}")
	s = strings.Trim(nonWord().ReplaceAllString(strings.ToLower(s), "_"), "_")
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "r_" + s
	}
	return s
}

// Singular is the English singular of a snake_case plural.
func Singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"):
		return s
	case strings.HasSuffix(s, "s"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}
