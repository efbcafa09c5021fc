package results

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

// The fast number conversion gives strconv.ParseFloat's float64, bit for
// bit, on the shapes Rally writes (Python's repr of time.time() and of
// durations: up to 17 significant digits) and on edges: halfway cases,
// 2^53 neighbours, leading and trailing zeros, exponents, 19 and 20 digits.
func TestParseNumberMatchesStrconv(t *testing.T) {
	cases := []string{"0", "-0", "0.0", "-0.0", "1", "-1", "0.5", "1e0", "1E+2", "1e-2", "-1.5e-3",
		"9007199254740992", "9007199254740993", "9007199254740995", "18014398509481985",
		"1795572524.8794503", "1795572524.565474", "0.44553327560424805", "0.450009822845459",
		"1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "1e23", "1e22", "8.41e21",
		"123456789012345678", "1234567890123456789", "12345678901234567890", "0.0000000000000000000000000001",
		"0.30000000000000004", "1.00000000000000011102230246251565404236316680908203125",
		"0.000123", "100000", "1.0000000000000000", "99999999999999999999e-20", "4.35", "2.675",
		"9223372036854775807", "18446744073709551615", "18446744073709551616", "0.1", "0.7", "1e-27", "3e-28",
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	for range 300000 {
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteByte('-')
		}
		intDigits := rng.IntN(12)
		if intDigits == 0 {
			b.WriteByte('0')
		} else {
			b.WriteByte(byte('1' + rng.IntN(9)))
			for range intDigits - 1 {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		if rng.IntN(5) > 0 {
			b.WriteByte('.')
			for range 1 + rng.IntN(19) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		if rng.IntN(6) == 0 {
			fmt.Fprintf(&b, "e%d", rng.IntN(60)-30)
		}
		cases = append(cases, b.String())
	}
	// Exact float64 values printed shortest (as Python's repr does) and
	// with 17 digits, and the decimals halfway between neighbours.
	for range 100000 {
		f := rng.Float64() * math.Pow(10, float64(rng.IntN(24)-12))
		cases = append(cases, strconv.FormatFloat(f, 'f', -1, 64), strconv.FormatFloat(f, 'g', 17, 64),
			strconv.FormatFloat(f, 'e', 16, 64))
		lo, hi := f, math.Nextafter(f, 2)
		mid := strconv.FormatFloat(lo, 'e', 25, 64) // close to, not at, the midpoint
		cases = append(cases, mid, strconv.FormatFloat((lo+hi)/2, 'f', -1, 64))
	}
	for _, c := range cases {
		want, werr := strconv.ParseFloat(c, 64)
		got, n := parseNumber([]byte(c + ","))
		if werr != nil {
			if n >= 0 {
				t.Errorf("%s: read as %v, strconv says %v", c, got, werr)
			}
			continue
		}
		if n != len(c) || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: %v (%d bytes), want %v", c, got, n, want)
		}
	}
}

// Halfway cases round to even: m = odd·5^k·2^j with a 54-bit odd part
// makes m·10^-k exactly halfway between two float64s; its neighbours m±1
// are not. Each is checked against strconv, for k up to 4 (where such m
// fit in 64 bits), and random mantissas for every k up to 27.
func TestDivPow5Ties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	check := func(m uint64, k int) {
		got, ok := divPow5(m, k)
		s := strconv.FormatUint(m, 10) + "e-" + strconv.Itoa(k)
		want, _ := strconv.ParseFloat(s, 64)
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: %v, want %v", s, got, want)
		}
	}
	for range 100000 {
		odd := rng.Uint64N(1<<53) | 1<<53 | 1
		k := rng.IntN(5)
		m := odd
		for range k {
			m *= 5
		}
		m <<= rng.IntN(bits.LeadingZeros64(m) + 1)
		check(m, k)
		check(m-1, k)
		if m < math.MaxUint64 {
			check(m+1, k)
		}
		check(rng.Uint64()|1, rng.IntN(28))
	}
	// Where only the remainder of the division says the value is above
	// the halfway point (the quotient's bits under the rounding bit are
	// all zero): found by search at large k, where 5^k is near 2^64.
	found := 0
	for i := 0; i < 20_000_000 && found < 20; i++ {
		m, k := rng.Uint64()|1<<63, 20+rng.IntN(8)
		hi, lo, r, _ := quo128(m, k)
		shift := 128 - bits.LeadingZeros64(hi) - 53
		top := hi<<(64-shift) | lo>>shift
		if shift < 64 && bit128(hi, lo, shift-1) && !low128(hi, lo, shift-1) && r != 0 && top&1 == 0 {
			check(m, k)
			found++
		}
	}
	if found == 0 {
		t.Error("no case decided by the remainder found")
	}
}

// Number grammar and value: where the fast path takes a number, the
// general lexer takes the same bytes and gets the same value.
func TestScanNumberLikeLexer(t *testing.T) {
	for _, c := range []string{"01", "1.", ".5", "-", "--1", "1e", "1e+", "+1", "1.2.3", "0x10", "1e5.5", "00", "-01",
		"1", "-0", "0.0e0", "1E5", "1e400", "-1e-400", "123456789012345678901234567890"} {
		in := []byte(c + ",")
		v, n := parseNumber(in)
		lx := newLexer(bytes.NewReader(in))
		gv, gerr := lx.num()
		if n < 0 {
			continue
		}
		if gerr != nil || int64(n) != lx.offset() || math.Float64bits(v) != math.Float64bits(gv) {
			t.Errorf("%q: fast %v (%d bytes), lexer %v (%d bytes, %v)", c, v, n, gv, lx.offset(), gerr)
		}
	}
	for _, c := range []string{"01", "1.", "-", "1e+", "1.2.3", "1e400"} {
		if _, n := parseNumber([]byte(c + ",")); n >= 0 {
			t.Errorf("%q taken as a number", c)
		}
	}
	if _, n := parseNumber([]byte("12")); n != fastShort {
		t.Errorf("a number at the end of the buffer may go on: %d", n)
	}
}

// sameIteration compares two iterations field by field, floats bit for bit.
func sameIteration(a, b *Iteration) string {
	if math.Float64bits(a.Duration) != math.Float64bits(b.Duration) ||
		math.Float64bits(a.IdleDuration) != math.Float64bits(b.IdleDuration) ||
		math.Float64bits(a.Timestamp) != math.Float64bits(b.Timestamp) {
		return fmt.Sprintf("times %v %v %v / %v %v %v", a.Duration, a.IdleDuration, a.Timestamp, b.Duration, b.IdleDuration, b.Timestamp)
	}
	if fmt.Sprintf("%q", a.Error) != fmt.Sprintf("%q", b.Error) || (a.Error == nil) != (b.Error == nil) {
		return fmt.Sprintf("error %q / %q", a.Error, b.Error)
	}
	return sameAtomics(a.Atomics, b.Atomics)
}

func sameAtomics(a, b []Atomic) string {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return fmt.Sprintf("atomics %v / %v", a, b)
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Failed != y.Failed || math.Float64bits(x.Started) != math.Float64bits(y.Started) ||
			math.Float64bits(x.Duration) != math.Float64bits(y.Duration) {
			return fmt.Sprintf("atomic %+v / %+v", x, y)
		}
		if d := sameAtomics(x.Children, y.Children); d != "" {
			return d
		}
	}
	return ""
}

// readings are an iteration read by each path: the fast path's byte
// count (or fastShort/fastGiveUp) and value, the general path's bytes
// read, value and error.
type readings struct {
	fast     int
	fi       Iteration
	gn       int64
	gi       Iteration
	generalE error
}

// both reads the iteration at the start of b with each path.
func both(b []byte) readings { return bothWith(&reader{lx: newLexer(bytes.NewReader(nil))}, b) }

// bothWith is both with the fast path's reader given: its interner
// remembers the strings of the iterations it read before.
func bothWith(pf *reader, b []byte) readings {
	var r readings
	pf.clearIteration()
	r.fast = fastIteration(b, &pf.it, &pf.arena, &pf.lx.in)
	r.fi = cloneIteration(pf.it)
	pg := &reader{lx: newLexer(bytes.NewReader(b))}
	if r.generalE = pg.begin("iteration"); r.generalE == nil {
		r.generalE = pg.generalIteration()
	}
	r.gn, r.gi = pg.lx.offset(), cloneIteration(pg.it)
	return r
}

func cloneIteration(it Iteration) Iteration {
	it.Error = append([]string(nil), it.Error...)
	it.Atomics = cloneAtomics(it.Atomics)
	return it
}

func cloneAtomics(a []Atomic) []Atomic {
	if a == nil {
		return nil
	}
	out := make([]Atomic, len(a))
	for i, x := range a {
		x.Children = cloneAtomics(x.Children)
		out[i] = x
	}
	return out
}

// checkBoth fails when the fast path reads an iteration the general path
// rejects, reads a different number of bytes, or yields another value.
func checkBoth(t *testing.T, b []byte) (fast bool) {
	t.Helper()
	return checkBothWith(t, &reader{lx: newLexer(bytes.NewReader(nil))}, b)
}

func checkBothWith(t *testing.T, pf *reader, b []byte) (fast bool) {
	t.Helper()
	r := bothWith(pf, b)
	n, fi, gerr, gn, gi := r.fast, r.fi, r.generalE, r.gn, r.gi
	if n < 0 {
		return false
	}
	if gerr != nil {
		t.Fatalf("fast path took %q (%d bytes), the general path says %v", b, n, gerr)
	}
	if int64(n) != gn {
		t.Fatalf("fast path read %d bytes of %q, the general path %d", n, b, gn)
	}
	if d := sameIteration(&fi, &gi); d != "" {
		t.Fatalf("%q: fast and general paths differ: %s", b, d)
	}
	return true
}

// Every iteration of every sample report, read by both paths: the fast
// path takes them all (these are the shapes Rally writes) and agrees with
// the general one to the bit, tracebacks it remembers from earlier
// iterations included.
func TestFastPathAgreesOnSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results", "*.report.json"))
	if len(files) < 10 {
		t.Fatalf("%d samples", len(files))
	}
	total := 0
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// One fast reader for the file, as in a real read: the strings
		// it remembers (names, repeated tracebacks) are checked too.
		pf := &reader{lx: newLexer(bytes.NewReader(nil))}
		for i, it := range iterationStarts(t, doc) {
			if !checkBothWith(t, pf, doc[it:]) {
				t.Errorf("%s: iteration %d left to the general path", filepath.Base(f), i)
			}
			total++
		}
	}
	if total < 150 {
		t.Errorf("only %d iterations", total)
	}
}

// iterationStarts walks a report with the lexer to the iterations
// (tasks, subtasks, workloads, data) and returns where each begins.
func iterationStarts(t testing.TB, doc []byte) []int {
	lx := newLexer(bytes.NewReader(doc))
	var starts []int
	var walk func(path []string) error
	walk = func(path []string) error {
		return lx.object(func(key string) error {
			if key != path[0] {
				return lx.skip(0)
			}
			return lx.array(func() error {
				if len(path) > 1 {
					return walk(path[1:])
				}
				if _, err := lx.peek(); err != nil {
					return err
				}
				starts = append(starts, int(lx.offset()))
				return lx.skip(0)
			})
		})
	}
	if err := walk([]string{"tasks", "subtasks", "workloads", "data"}); err != nil {
		t.Fatal(err)
	}
	return starts
}

// FuzzFastIteration: whatever the bytes, an iteration the fast path reads
// is one the general path reads too, to the same byte and the same value.
// Seeds: real iterations (a failed one with its traceback, nested
// actions) and the odd shapes the fast path must leave alone.
func FuzzFastIteration(f *testing.F) {
	for _, name := range []string{"glance-images.report.json", "placement-failures.report.json"} {
		doc, err := os.ReadFile(filepath.Join(testcorpus.SharedDir(f), "samples", "rally-results", name))
		if err != nil {
			f.Fatal(err)
		}
		starts := iterationStarts(f, doc)
		for _, i := range []int{0, len(starts) - 1} {
			n := both(doc[starts[i]:]).gn
			f.Add(doc[starts[i] : starts[i]+int(n)+1])
		}
	}
	for _, s := range []string{
		`{"duration": 1, "atomic_actions": {"a": 1}}`,
		`{"duration": 1e400, "error": []}`,
		`{"duration": -0.0, "idle_duration": null, "error": null, "atomic_actions": null},`,
		`{"dur\u0061tion": 1, "error": ["a\"b", "\ud800"]}`,
		`{"duration": 1, "atomic_actions": [{"name": "x", "started_at": 1, "finished_at": 2, "failed": true, "children": [{"name": "y", "started_at": 1.5, "finished_at": 1.75, "children": []}]}], "output": {"additive": [{"x": [1, true, null, "\n"]}]}}]`,
		`{"duration": 1, "error": [1, "x"]}`,
		`{"duration": 01}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkBoth(t, b)
	})
}

// The values of long strings are remembered up to a budget: a body seen
// again gives the same value without decoding; past the budget nothing
// more is kept, and values are still right.
func TestInternerDecoded(t *testing.T) {
	var in interner
	body := []byte(strings.Repeat(`Traceback \"x\"\n  File \u00e9`, 20))
	want, _ := unquote(body)
	for range 3 {
		if v, err := in.decoded(body, true); err != nil || v != want {
			t.Fatalf("%q, %v", v, err)
		}
	}
	if len(in.long) != 1 {
		t.Errorf("%d entries", len(in.long))
	}
	big := []byte(strings.Repeat("y", longBudget))
	if v, _ := in.decoded(big, false); v != string(big) || len(in.long) != 1 {
		t.Errorf("over budget: %d entries", len(in.long))
	}
	if _, err := in.decoded([]byte(`bad \x escape`), true); err == nil {
		t.Error("bad escape accepted")
	}
}

// quo128 is exact: its quotient and remainder are math/big's, for every k
// and random, extreme and 5^k-related mantissas.
func TestQuo128(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 31))
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	check := func(mant uint64, k int) {
		hi, lo, r, lz := quo128(mant, k)
		m := new(big.Int).Lsh(new(big.Int).SetUint64(mant), uint(lz))
		num := new(big.Int).Mul(m, two64)
		q, rem := new(big.Int).QuoRem(num, new(big.Int).SetUint64(pow5[k]), new(big.Int))
		got := new(big.Int).Add(new(big.Int).Mul(new(big.Int).SetUint64(hi), two64), new(big.Int).SetUint64(lo))
		if got.Cmp(q) != 0 || rem.Uint64() != r || !rem.IsUint64() {
			t.Fatalf("quo128(%d, %d) = %d rem %d, want %d rem %d", mant, k, got, r, q, rem)
		}
	}
	for k := range 28 {
		for _, m := range []uint64{1, 2, 3, 5, pow5[k], pow5[k] - 1, pow5[k] + 1, 1 << 63, math.MaxUint64, math.MaxUint64 - 1, 1<<53 + 1} {
			if m > 0 {
				check(m, k)
			}
		}
		for range 20000 {
			check(rng.Uint64()>>rng.IntN(64)|1, k)
		}
	}
}
