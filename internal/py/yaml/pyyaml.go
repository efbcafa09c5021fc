package yaml

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/py"
	"go.yaml.in/yaml/v3"
)

// Rally reads tasks with PyYAML's safe_load, a YAML 1.1 loader; yaml.v3
// resolves plain scalars by YAML 1.2. The two disagree on real values:
// "yes"/"on" are booleans, "1e+30" (no dot) and "0o17" are strings,
// "012" is octal, "1:30" is sexagesimal, dates are timestamps. pyYAML
// re-resolves plain scalars with PyYAML's own implicit resolvers
// (yaml/resolver.py) and builds mappings the way its constructor does:
// merge keys ("<<") flattened, a repeated key keeps its last value.
var (
	pyFloatRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	})
	pyIntRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	})
	pyTimeRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
	})
)

// Tags PyYAML resolves beyond yaml.v3's.
const (
	tagTimestamp = "!!timestamp"
	tagMerge     = "!!merge"
	tagValue     = "!!value" // a plain "=": SafeLoader has no constructor for it
)

// pyResolve is the tag PyYAML gives a plain scalar. The resolvers are
// tried by the scalar's first character, in the order resolver.py adds
// them; the first whose pattern matches wins.
func pyResolve(v string) string {
	if v == "" {
		return "!!null"
	}
	c := v[0]
	// Plain decimal integers, most numbers in a task, need no regexp.
	if c >= '1' && c <= '9' || v == "0" {
		if allDigits(v) {
			return "!!int"
		}
	}
	// resolver.py's bool and null patterns are fixed word lists.
	switch v {
	case "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF":
		return "!!bool"
	}
	if strings.IndexByte("-+0123456789.", c) >= 0 && pyFloatRe().MatchString(v) {
		return "!!float"
	}
	if strings.IndexByte("-+0123456789", c) >= 0 && pyIntRe().MatchString(v) {
		return "!!int"
	}
	if c == '<' && v == "<<" {
		return tagMerge
	}
	switch v {
	case "~", "null", "Null", "NULL":
		return "!!null"
	}
	if c >= '0' && c <= '9' && pyTimeRe().MatchString(v) {
		return tagTimestamp
	}
	if v == "=" {
		return tagValue
	}
	return "!!str"
}

func allDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// pyYAML brings a parsed tree to what safe_load builds: plain scalars
// re-tagged, merge keys flattened, repeated keys collapsed. It returns
// the first problem safe_load would raise on (a merge of a non-mapping, a
// plain "=" value, an unhashable key), or nil.
func pyYAML(n *yaml.Node, shared bool) *SyntaxError {
	p := &pyLoader{}
	if shared {
		p.done = map[*yaml.Node]bool{}
	}
	p.walk(n, 0)
	return p.err
}

type pyLoader struct {
	done map[*yaml.Node]bool // aliases share nodes: each is fixed once (nil: a tree)
	err  *SyntaxError
}

func (p *pyLoader) fail(n *yaml.Node, msg string) {
	if p.err == nil {
		p.err = &SyntaxError{Pos: PosOf(n), Msg: "invalid YAML: " + msg}
	}
}

func (p *pyLoader) walk(n *yaml.Node, depth int) {
	if n == nil || p.done[n] || depth > 200 {
		return
	}
	if p.done != nil {
		p.done[n] = true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if plain(n) {
			n.Tag = pyResolve(n.Value)
		}
		if n.Tag == tagValue {
			p.fail(n, "could not determine a constructor for the tag 'tag:yaml.org,2002:value'")
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			p.walk(c, depth+1)
		}
	case yaml.MappingNode:
		for i, c := range n.Content {
			if i%2 == 0 && c.Kind == yaml.ScalarNode && plain(c) && c.Value == "=" {
				c.Tag = "!!str" // "=" as a key is the string "="
				if p.done != nil {
					p.done[c] = true
				}
				continue
			}
			p.walk(c, depth+1)
		}
		p.flatten(n, depth)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind != yaml.ScalarNode {
				p.fail(k, "while constructing a mapping: found unhashable key")
			}
		}
		dedupe(n)
	}
}

// plain: a scalar PyYAML resolves implicitly (no quotes, no explicit tag,
// not a block scalar).
func plain(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0
}

// flatten is SafeConstructor.flatten_mapping: the entries of merged
// mappings come first (the first of a list of mappings wins), the
// mapping's own entries after them, so they override.
func (p *pyLoader) flatten(n *yaml.Node, depth int) {
	var merge []*yaml.Node
	var own []*yaml.Node
	merged := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag != tagMerge {
			own = append(own, k, v)
			continue
		}
		merged = true
		switch v.Kind {
		case yaml.MappingNode:
			p.walk(v, depth+1)
			merge = append(merge, v.Content...)
		case yaml.SequenceNode:
			var subs [][]*yaml.Node
			for _, s := range v.Content {
				if s.Kind != yaml.MappingNode {
					p.fail(s, "while constructing a mapping: expected a mapping for merging")
					return
				}
				p.walk(s, depth+1)
				subs = append(subs, s.Content)
			}
			for i := len(subs) - 1; i >= 0; i-- {
				merge = append(merge, subs[i]...)
			}
		default:
			p.fail(v, "while constructing a mapping: expected a mapping or list of mappings for merging")
			return
		}
	}
	if merged {
		n.Content = append(merge, own...)
	}
}

// dedupe keeps one entry per key as a Python dict does: the first
// occurrence's key and place, the last occurrence's value.
func dedupe(n *yaml.Node) {
	if len(n.Content) < 4 {
		return
	}
	seen := make(map[string]int, len(n.Content)/2)
	out := n.Content[:0:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		id := keyID(n.Content[i])
		if j, ok := seen[id]; ok {
			out[j+1] = n.Content[i+1]
			continue
		}
		seen[id] = len(out)
		out = append(out, n.Content[i], n.Content[i+1])
	}
	if len(out) != len(n.Content) {
		n.Content = out
	}
}

// keyID identifies a key as Python's dict does: by value, with True == 1
// == 1.0 and None a key of its own.
func keyID(k *yaml.Node) string {
	switch v := Value(k).(type) {
	case nil:
		return "n"
	case string:
		return "s" + v
	case bool:
		if v {
			return "f1/1"
		}
		return "f0/0"
	case int64:
		return "f" + strconv.FormatFloat(float64(v), 'g', -1, 64) + "/" + strconv.FormatInt(v, 10)
	case float64:
		v += 0 // -0.0 == 0
		if v == math.Trunc(v) && math.Abs(v) < 1<<63 {
			return "f" + strconv.FormatFloat(v, 'g', -1, 64) + "/" + strconv.FormatInt(int64(v), 10)
		}
		return "f" + strconv.FormatFloat(v, 'g', -1, 64)
	case *big.Int:
		return "b" + v.String()
	case py.Timestamp:
		return "t" + string(v)
	}
	return "?" + k.Tag + k.Value
}

// pyScalar constructs a scalar the way SafeConstructor does for its tag:
// int64 (or *big.Int beyond int64), float64, bool, nil, time.Time, string.
func pyScalar(tag, v string) (any, bool) {
	switch tag {
	case "!!str":
		return v, true
	case "!!null":
		return nil, true
	case "!!bool":
		switch strings.ToLower(v) {
		case "yes", "true", "on":
			return true, true
		case "no", "false", "off":
			return false, true
		}
	case "!!int":
		return pyInt(v)
	case "!!float":
		return pyFloat(v)
	case tagTimestamp:
		return py.Timestamp(v), true
	}
	return nil, false
}

func pyInt(v string) (any, bool) {
	s := strings.ReplaceAll(v, "_", "")
	if s == "" {
		return nil, false
	}
	neg := s[0] == '-'
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	z := new(big.Int)
	ok := false
	switch {
	case s == "0":
		ok = true
	case strings.HasPrefix(s, "0b"):
		_, ok = z.SetString(s[2:], 2)
	case strings.HasPrefix(s, "0x"):
		_, ok = z.SetString(s[2:], 16)
	case strings.HasPrefix(s, "0"):
		_, ok = z.SetString(s, 8)
	case strings.Contains(s, ":"):
		ok = true
		for _, part := range strings.Split(s, ":") {
			d, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, false
			}
			z.Mul(z, big.NewInt(60))
			z.Add(z, big.NewInt(d))
		}
	default:
		_, ok = z.SetString(s, 10)
	}
	if !ok {
		return nil, false
	}
	if neg {
		z.Neg(z)
	}
	if z.IsInt64() {
		return z.Int64(), true
	}
	return z, true
}

func pyFloat(v string) (any, bool) {
	s := strings.ToLower(strings.ReplaceAll(v, "_", ""))
	if s == "" {
		return nil, false
	}
	sign := 1.0
	if s[0] == '-' {
		sign = -1
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	switch {
	case s == ".inf":
		return sign * math.Inf(1), true
	case s == ".nan":
		return math.NaN(), true
	case strings.Contains(s, ":"):
		parts := strings.Split(s, ":")
		val, base := 0.0, 1.0
		for i := len(parts) - 1; i >= 0; i-- {
			d, err := strconv.ParseFloat(parts[i], 64)
			if err != nil {
				return nil, false
			}
			val += d * base
			base *= 60
		}
		return sign * val, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, false
	}
	return sign * f, true
}
