package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/py"
	pyyaml "github.com/rallyforge/rallyforge/internal/py/yaml"
	"github.com/rallyforge/rallyforge/internal/task"
	"go.yaml.in/yaml/v3"
)

// checkAPIVersions is rally-openstack's check_api_versions validator on
// the api_versions context (part of rule context-config, which runs it
// once the context's schema passes): each named client
// must exist; a service_type/service_name needs a client with a default
// service type; a version must pass the client's validate_version, whose
// kind and data the catalog holds per source (master and 2.2.0 differ:
// 2.2.0's cinder accepts only "1", "2", "3", master's any microversion up
// to cinderclient's MAX_VERSION).
func (f *file) checkAPIVersions(r *Rule, e task.Entry) {
	if e.Config == nil || e.Config.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(e.Config.Content); i += 2 {
		k, v := e.Config.Content[i], e.Config.Content[i+1]
		cl, ok := f.cat.Client(k.Value)
		if !ok {
			var names []string
			for _, c := range f.cat.Clients {
				names = append(names, c.Name)
			}
			f.report(task.PosOf(k), r, "context api_versions: there is no OpenStack client plugin %q%s", k.Value, didYouMean(suggest(k.Value, names)))
			continue
		}
		if v.Kind != yaml.MappingNode {
			continue
		}
		fail := func(n *yaml.Node, msg string) {
			f.report(task.PosOf(n), r, "context api_versions: Invalid settings for '%s': %s", cl.Name, msg)
		}
		st, _ := task.Get(v, "service_type")
		sn, _ := task.Get(v, "service_name")
		if (st != nil || sn != nil) && cl.DefaultServiceType == "" {
			fail(firstNonNil(st, sn), "Setting service type is not supported.")
			continue
		}
		if vk, vn := task.Get(v, "version"); vk != nil {
			if msg := checkClientVersion(cl, vn); msg != "" {
				fail(vk, msg)
			}
		}
	}
}

func firstNonNil(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}

// microRe is the python-*client APIVersion pattern.
var microRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([1-9]\d*)\.([1-9]\d*|0|latest)$`) })

// checkClientVersion is validate_version of one client; "" when valid.
func checkClientVersion(cl *catalog.Client, n *yaml.Node) string {
	s := pyStr(n)
	switch cl.VersionCheck {
	case catalog.VersionSupported:
		if len(cl.SupportedVersions) == 0 {
			return "Setting version is not supported."
		}
		if !slices.Contains(cl.SupportedVersions, s) {
			return fmt.Sprintf("'%s' is not supported. Should be one of '%s'", s, pyList(cl.SupportedVersions))
		}
	case catalog.VersionFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return fmt.Sprintf("could not convert string to float: '%s'", s)
		}
		if fs := py.FloatRepr(f); !slices.Contains(cl.SupportedVersions, fs) {
			return fmt.Sprintf("'%s' is not supported. Should be one of '%s'", fs, pyList(cl.SupportedVersions))
		}
	case catalog.VersionMicro:
		v := s
		if r, ok := cl.ReplacementVersions.Get(v).(string); ok {
			v = r
		}
		if cl.IntLike {
			if _, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				v = strings.TrimSpace(v) + ".0"
			}
		}
		m := microRe().FindStringSubmatch(v)
		if m == nil || (cl.Majors != nil && !slices.Contains(cl.Majors, m[1])) {
			return fmt.Sprintf("Version string '%s' is unsupported.", s)
		}
		if cl.MaxVersion != "" && m[2] != "latest" && versionLess(cl.MaxVersion, m[1]+"."+m[2]) {
			return fmt.Sprintf("Version string '%s' is unsupported.", s)
		}
	}
	return ""
}

// versionLess compares "MAJOR.MINOR" strings numerically.
func versionLess(a, b string) bool {
	pa, pb := strings.SplitN(a, ".", 2), strings.SplitN(b, ".", 2)
	for i := 0; i < 2; i++ {
		x, _ := strconv.Atoi(at(pa, i))
		y, _ := strconv.Atoi(at(pb, i))
		if x != y {
			return x < y
		}
	}
	return false
}

func at(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return ""
}

// pyStr is Python's str() of a YAML scalar as Rally loads it (PyYAML):
// 2 → "2", 2.2 → "2.2", 3.0 → "3.0", true → "True".
func pyStr(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return pyyaml.Str(n)
}

// pyList is Python's repr of a list of strings: ['1', '2'].
func pyList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
