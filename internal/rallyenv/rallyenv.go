// Package rallyenv finds the Rally a user has installed and the
// rally-openstack release beside it, without running Python (lint pays
// for this on every run, so it is a few stat calls and one or two
// directory reads), to pick the catalog view whose verdicts match it.
package rallyenv

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

// Install is a Rally found on PATH.
type Install struct {
	Rally          string // the rally script
	RallyOpenStack string // rally-openstack's version, "" when not found
	Site           string // the site-packages folder it was found in
}

// Find looks for rally on environ's PATH and for rally-openstack's
// installed metadata (dist-info from pip, egg-info from setup.py or
// Debian) in the site-packages of the interpreter that runs it. Nil when
// there is no rally. likely is the version to look for first: its
// metadata folder is found with a few stat calls, where another version
// needs the site folder listed (about 1 ms for Debian's 900 entries).
func Find(environ []string, likely string) *Install {
	path := getenv(environ, "PATH")
	rally := lookPath("rally", path)
	if rally == "" {
		return nil
	}
	in := &Install{Rally: rally}
	var prefixes []string
	if py := interpreter(rally, path); py != "" {
		if _, err := os.Stat(py); err == nil {
			prefixes = append(prefixes, filepath.Dir(filepath.Dir(py)))
		}
	}
	if real, err := filepath.EvalSymlinks(rally); err == nil {
		prefixes = append(prefixes, filepath.Dir(filepath.Dir(real)))
	}
	seen := map[string]bool{}
	for _, p := range prefixes {
		if seen[p] {
			continue
		}
		seen[p] = true
		eachSite(p, func(site string) bool {
			if v := version(site, likely); v != "" {
				in.RallyOpenStack, in.Site = v, site
			}
			return in.Site != ""
		})
		if in.Site != "" {
			return in
		}
	}
	return in
}

// eachSite calls try with each folder under prefix where an interpreter
// keeps packages and that holds the rally_openstack package: Debian's
// lib/python3/dist-packages, a virtualenv's or pip's
// lib/python3.X/site-packages, /usr/local's; it stops when try says so.
// A stat per candidate: listing them all would cost milliseconds.
func eachSite(prefix string, try func(site string) bool) {
	check := func(d string) bool {
		fi, err := os.Stat(filepath.Join(d, "rally_openstack"))
		return err == nil && fi.IsDir() && try(d)
	}
	if check(filepath.Join(prefix, "lib", "python3", "dist-packages")) {
		return
	}
	for _, lib := range []string{filepath.Join(prefix, "lib"), filepath.Join(prefix, "local", "lib")} {
		names, _ := readNames(lib)
		for _, n := range names {
			if strings.HasPrefix(n, "python3.") && (check(filepath.Join(lib, n, "site-packages")) || check(filepath.Join(lib, n, "dist-packages"))) {
				return
			}
		}
	}
}

func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// version reads rally-openstack's version from the name of its metadata
// folder in site: rally_openstack-2.2.0.dist-info, …-2.2.0.egg-info or
// …-2.2.0-py3.11.egg-info. The folder is read in batches and the search
// stops at the first match.
func version(site, likely string) string {
	if likely != "" {
		for _, suf := range []string{".egg-info", ".dist-info", "-py" + pyVersion(site) + ".egg-info"} {
			if _, err := os.Stat(filepath.Join(site, "rally_openstack-"+likely+suf)); err == nil {
				return likely
			}
		}
	}
	f, err := os.Open(site)
	if err != nil {
		return ""
	}
	defer f.Close()
	for {
		names, err := f.Readdirnames(256)
		for _, name := range names {
			rest, ok := strings.CutPrefix(name, "rally_openstack-")
			if !ok {
				continue
			}
			for _, suf := range []string{".dist-info", ".egg-info"} {
				if v, ok := strings.CutSuffix(rest, suf); ok {
					v, _, _ = strings.Cut(v, "-py")
					return v
				}
			}
		}
		if err != nil {
			return ""
		}
	}
}

// pyVersion is the X.Y of a site folder .../python3.X/site-packages ("3"
// for Debian's python3/dist-packages).
func pyVersion(site string) string {
	return strings.TrimPrefix(filepath.Base(filepath.Dir(site)), "python")
}

// interpreter is the Python a script's #! line names (through
// /usr/bin/env when it is used).
func interpreter(script, path string) string {
	f, err := os.Open(script)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	line, ok := strings.CutPrefix(strings.TrimSpace(line), "#!")
	if !ok {
		return ""
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	if filepath.Base(fields[0]) == "env" && len(fields) > 1 {
		return lookPath(fields[1], path)
	}
	return fields[0]
}

func lookPath(name, path string) string {
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			continue
		}
		c := filepath.Join(d, name)
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return c
		}
	}
	return ""
}

func getenv(environ []string, k string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(environ[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// View says which catalog view matches in: the installed one (generated
// from rally-openstack release catalogVersion) when the user's release is
// that one or older (the nearest known), master when it is newer or when
// there is no Rally (the gate runs master). why says it in words.
func View(in *Install, catalogVersion string) (installed bool, why string) {
	switch {
	case in == nil:
		return false, "no rally on PATH: master, as the gate runs it"
	case in.RallyOpenStack == "":
		return false, fmt.Sprintf("rally at %s, but rally-openstack not found beside it: master", in.Rally)
	}
	c := compareVersions(in.RallyOpenStack, catalogVersion)
	switch {
	case c == 0:
		return true, fmt.Sprintf("installed view: rally-openstack %s (%s), the release it was generated from", in.RallyOpenStack, in.Site)
	case c < 0:
		return true, fmt.Sprintf("installed view (rally-openstack %s): rally-openstack %s (%s) is older, the nearest view known", catalogVersion, in.RallyOpenStack, in.Site)
	}
	return false, fmt.Sprintf("master view: rally-openstack %s (%s) is newer than the installed view's %s", in.RallyOpenStack, in.Site, catalogVersion)
}

// compareVersions orders release numbers by their numeric parts; a
// suffix (dev, rc) after equal numbers makes a version older (PEP 440).
func compareVersions(a, b string) int {
	pa, sa := parts(a)
	pb, sb := parts(b)
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case sa && !sb:
		return -1
	case sb && !sa:
		return 1
	}
	return 0
}

// parts are the leading numeric components of v and whether anything else
// follows them.
func parts(v string) ([]int, bool) {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, true
		}
		out = append(out, n)
	}
	return out, false
}

// Auto is --catalog auto: whether the installed view matches the Rally on
// environ's PATH (see View), and why.
func Auto(environ []string) (installed bool, why string) {
	v := catalog.MustLoad().Generated.RallyOpenStackVersion
	return View(Find(environ, v), v)
}
