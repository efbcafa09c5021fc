package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// recorder keeps a copy of every iteration and workload it is handed.
type recorder struct {
	its []Iteration
	ws  []string
}

func (r *recorder) Iteration(w int, it *Iteration) error {
	c := cloneIteration(*it)
	c.Timestamp += float64(w) * 1e-9 // the workload index counts too
	r.its = append(r.its, c)
	return nil
}

func (r *recorder) Workload(w *Workload) error {
	r.ws = append(r.ws, fmt.Sprintf("%d %s %d", w.Index, w.Scenario, w.Times))
	return nil
}

// readBoth reads doc with the helper on and off and fails unless the
// handler heard the same iterations (bit for bit, same workloads) in the
// same order; it returns how many the helper gave.
func readBoth(t *testing.T, doc []byte) int {
	t.Helper()
	var on, off recorder
	pOn := &reader{lx: newLexer(bytes.NewReader(doc)), h: &on}
	errOn := pOn.readAll()
	pOff := &reader{lx: newLexer(bytes.NewReader(doc)), h: &off, noAhead: true}
	errOff := pOff.readAll()
	if fmt.Sprint(errOn) != fmt.Sprint(errOff) {
		t.Fatalf("errors differ: %v / %v", errOn, errOff)
	}
	if len(on.its) != len(off.its) || strings.Join(on.ws, "|") != strings.Join(off.ws, "|") {
		t.Fatalf("%d / %d iterations, workloads %q / %q", len(on.its), len(off.its), on.ws, off.ws)
	}
	for i := range on.its {
		if d := sameIteration(&on.its[i], &off.its[i]); d != "" {
			t.Fatalf("iteration %d: %s", i, d)
		}
	}
	return pOn.fromAhead
}

// readAll reads the whole document as readHinted does.
func (p *reader) readAll() error {
	defer p.joinAhead()
	c, err := p.lx.peek()
	if err != nil {
		return err
	}
	if c == '[' {
		return p.resultsList()
	}
	return p.report()
}

// A big report is read in part by the helper, and the handler hears
// exactly what it hears without: same iterations, same order, same
// workloads, on the samples repeated (two workloads, nested actions,
// failures with tracebacks) and in the old results format.
func TestReadAheadSameIterations(t *testing.T) {
	for _, name := range []string{"glance-images.report.json", "placement-failures.report.json", "keystone-basic.report.json", "placement-failures.results.json"} {
		doc := repeated(t, name, 3000, name == "keystone-basic.report.json", nil)
		got := readBoth(t, doc)
		if got == 0 {
			t.Errorf("%s (%d bytes): the helper gave no iteration", name, len(doc))
		}
		t.Logf("%s: %d bytes, %d iterations from the helper", name, len(doc), got)
	}
}

// repeated returns a sample with each workload's iterations repeated to
// n, written as Rally writes (indented) or compactly; edit, when set,
// changes each iteration first.
func repeated(t *testing.T, name string, n int, compact bool, edit func(map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(sample(t, name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(x any) {
		switch m := x.(type) {
		case map[string]any:
			for _, k := range []string{"data", "result"} {
				if l, ok := m[k].([]any); ok && len(l) > 0 {
					var out []any
					for i := range n {
						it := map[string]any{}
						for key, val := range l[i%len(l)].(map[string]any) {
							it[key] = val
						}
						if edit != nil {
							edit(it)
						}
						out = append(out, it)
					}
					m[k] = out
				}
			}
			for _, c := range m {
				walk(c)
			}
		case []any:
			for _, c := range m {
				walk(c)
			}
		}
	}
	walk(v)
	if compact {
		out, _ := json.Marshal(v)
		return out
	}
	out, _ := json.MarshalIndent(v, "", "    ")
	return out
}

// Where the guess is wrong the helper's work is thrown away: here every
// iteration holds, in its output, an object that looks like an iteration
// after a comma, and some iterations only the general path reads (an
// escaped key), so the helper stops early.
func TestReadAheadWrongGuesses(t *testing.T) {
	k := 0
	doc := repeated(t, "glance-images.report.json", 5000, false, func(it map[string]any) {
		it["output"] = map[string]any{"additive": []any{0, map[string]any{"duration": 7, "error": []any{}}}, "complete": []any{}}
		k++
		if k%97 == 0 {
			it["spXce"] = 1
		}
	})
	doc = bytes.ReplaceAll(doc, []byte(`"spXce"`), []byte(`"sp\u0061ce"`))
	if !bytes.Contains(doc, []byte(`"sp\u0061ce"`)) {
		t.Fatal("no escaped key in the document")
	}
	t.Logf("%d iterations from the helper", readBoth(t, doc))
	// A truncated document fails the same way with the helper and without.
	readBoth(t, doc[:len(doc)*2/3])
}

// Random damage anywhere in a big report (a byte changed, removed or
// doubled, a few times) changes nothing about what the helper's use
// gives: the same iterations, or the same error at the same offset.
func TestReadAheadMutations(t *testing.T) {
	base := repeated(t, "placement-failures.report.json", 2000, true, nil)
	rng := rand.New(rand.NewPCG(7, 11))
	const junk = "{}[],:\" 0123456789.e-tfn\\"
	helped := 0
	for range 40 {
		doc := append([]byte(nil), base...)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(doc))
			switch rng.IntN(3) {
			case 0:
				doc[i] = junk[rng.IntN(len(junk))]
			case 1:
				doc = append(doc[:i], doc[i+1:]...)
			default:
				doc = append(doc[:i+1], doc[i:]...)
			}
		}
		helped += readBoth(t, doc)
	}
	if helped == 0 {
		t.Error("the helper never helped")
	}
}
