package yaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rallyforge/rallyforge/internal/py"
)

// pyYAMLCases are documents where YAML 1.1 (PyYAML, what Rally loads
// tasks with) and YAML 1.2 (yaml.v3) read different values, plus merge
// keys and repeated keys.
var pyYAMLCases = []string{
	"a: yes", "a: No", "a: on", "a: OFF", "a: y", "a: 'yes'",
	"a: 1e+30", "a: 1.0e+30", "a: 1e30", "a: .5", "a: 1.", "a: -.inf", "a: .NaN", "a: 1_000.5", "a: 1:30.5",
	"a: 012", "a: 0o12", "a: 0x1F", "a: 0b101", "a: 1_000", "a: 1:30", "a: -0", "a: +7", "a: 100000000000000000000",
	"a: !!int 100000000000000000000", "a: !!str 12", "a: !!float '3'",
	"a: ~", "a: Null", "a:", "a: NULL", "a: nULL",
	"a: 2020-01-02", "a: 2020-1-2 3:04:05", "a: 2020-01-02T03:04:05Z",
	"a: 1\na: 2", "-0.0: a\n0: b", "a: 1\nb: 2\na: x", "1: a\n1.0: b\ntrue: c", "x: 1\n'x': 2",
	"base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3", "p: &p {x: 1}\nq: &q {x: 2, z: 3}\nc: {<<: [*p, *q], w: 0}",
	"a: =", "=: 1",
}

// pyKind renders a constructed value with its Python type, the way the
// test's Python side does.
func pyKind(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = pyKind(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = pyKind(e)
		}
		return l
	case nil:
		return "NoneType"
	case bool:
		return fmt.Sprintf("bool:%v", x)
	case int64:
		return fmt.Sprintf("int:%d", x)
	case *big.Int:
		return "int:" + x.String()
	case float64:
		switch {
		case math.IsNaN(x):
			return "float:nan"
		case math.IsInf(x, 0):
			return fmt.Sprintf("float:%v", x)
		}
		return fmt.Sprintf("float:%g", x)
	case string:
		return "str:" + x
	case py.Timestamp:
		return "datetime"
	}
	return fmt.Sprintf("?%T", v)
}

// TestPyYAMLScalarsMatchPyYAML: Load and Value build what PyYAML's
// safe_load builds (types and values), or both refuse the document.
func TestPyYAMLScalarsMatchPyYAML(t *testing.T) {
	script := `
import json, math, sys, datetime, yaml
def kind(v):
    if isinstance(v, dict): return {str(k) if not isinstance(k, bool) else str(k).lower(): kind(e) for k, e in v.items()}
    if isinstance(v, list): return [kind(e) for e in v]
    if v is None: return "NoneType"
    if isinstance(v, bool): return "bool:" + str(v).lower()
    if isinstance(v, int): return "int:%d" % v
    if isinstance(v, float):
        if math.isnan(v): return "float:nan"
        if math.isinf(v): return "float:" + ("+Inf" if v > 0 else "-Inf")
        return "float:%s" % ("%g" % v)
    if isinstance(v, str): return "str:" + v
    if isinstance(v, (datetime.date, datetime.datetime)): return "datetime"
    return "?" + type(v).__name__
out = []
for doc in json.load(sys.stdin):
    try: out.append(kind(yaml.safe_load(doc)))
    except Exception as e: out.append("error")
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(pyYAMLCases)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("PyYAML (/usr/bin/python3 with python3-yaml) could not run: %v", err)
	}
	var want []any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, doc := range pyYAMLCases {
		root, err := Load([]byte(doc))
		var got any = "error"
		if err == nil {
			got = pyKind(Value(root))
		}
		// Python's %g and Go's %g agree on the cases here; keys went
		// through str() on both sides (Value keys are the scalar text, so
		// 1.0 vs 1 is compared by the Python side's first key's str).
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want[i])
		if string(g) != string(w) {
			t.Errorf("%q: lint reads %s, PyYAML %s", doc, g, w)
		}
	}
}

// Alias bombs: a few lines whose tree, aliases expanded, has 2^40 nodes
// (plain sequences, and merge keys that PyYAML would flatten) are refused at
// once instead of hanging every rule that walks the tree; real sharing (a
// context anchored once and named by 200 workloads) is accepted.
func TestAliasBombs(t *testing.T) {
	var seq, merge, shared strings.Builder
	seq.WriteString("a0: &a0 [x, x]\n")
	merge.WriteString("a0: &a0 {k: v}\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&seq, "a%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
		fmt.Fprintf(&merge, "a%d: &a%d {<<: [*a%d, *a%d], k%d: v}\n", i, i, i-1, i-1, i)
	}
	shared.WriteString("version: 2\ntitle: t\nctx: &ctx {users: {tenants: 2, users_per_tenant: 2}, quotas: {nova: {instances: -1}}}\nsubtasks:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&shared, "- {title: w%d, scenario: {Dummy.dummy: {}}, contexts: *ctx}\n", i)
	}
	for _, c := range []struct {
		name, src string
		bomb      bool
	}{{"sequences", seq.String(), true}, {"merge keys", merge.String(), true}, {"shared context", shared.String(), false}} {
		done := make(chan error, 1)
		go func() { _, err := Load([]byte(c.src)); done <- err }()
		select {
		case err := <-done:
			var se *SyntaxError
			isBomb := errors.As(err, &se) && strings.Contains(se.Msg, "excessive aliasing")
			if isBomb != c.bomb || (!c.bomb && err != nil) {
				t.Errorf("%s: got %v, want bomb=%v", c.name, err, c.bomb)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Load still running after 10 s", c.name)
		}
	}
}
