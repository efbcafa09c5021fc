package results

import (
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// The fast path reads one iteration from a byte slice that holds all of it,
// with no callbacks and no per-token bookkeeping: iterations are nearly all
// of a big report, and the general lexer spent most of its time in peek,
// closures and interning rather than in the bytes. It handles the shapes
// Rally writes; whatever else it meets (a syntax error, an escaped name, a
// non-string error item, the buffer ending mid-iteration) makes it give up
// without side effects, and the iteration is read again by the general
// path, which is authoritative (and words the errors). So it accepts
// nothing the general path rejects, and yields the same Iteration.

// fast outcomes besides a byte count.
const (
	fastShort  = -1 // the slice ended inside the iteration: read more, retry
	fastGiveUp = -2 // something the fast path does not handle: general path
)

// fastScanner walks b; every access checks the length, and running out is
// fastShort.
type fastScanner struct {
	b   []byte
	i   int
	bad int // 0, fastShort or fastGiveUp: the first failure
	// arena holds the atomic actions per depth (see reader.arena); in
	// interns the names.
	arena *[][]Atomic
	in    *interner
}

func (s *fastScanner) fail(code int) {
	if s.bad == 0 {
		s.bad = code
	}
}

// ws skips whitespace and returns the next byte (0 when failed).
func (s *fastScanner) ws() byte {
	b, i := s.b, s.i
	for i < len(b) {
		c := b[i]
		if c > ' ' || (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
			s.i = i
			return c
		}
		i++
	}
	s.i = i
	s.fail(fastShort)
	return 0
}

// fastIteration parses the iteration object at b[0] into it; it returns
// the bytes read, fastShort or fastGiveUp. Its atomic actions are
// appended to arena's slices (their elements contiguous per list), its
// names interned by in.
func fastIteration(b []byte, it *Iteration, arena *[][]Atomic, in *interner) int {
	s := fastScanner{b: b, arena: arena, in: in}
	if s.ws() != '{' {
		return fastGiveUp
	}
	s.i++
	if s.ws() == '}' {
		return fastGiveUp // no duration: the general path says so
	}
	hasDuration := false
	for s.bad == 0 {
		k := s.key()
		if s.ws() != ':' {
			s.fail(fastGiveUp)
			break
		}
		s.i++
		switch k {
		case keyDuration:
			it.Duration = s.numberOrNull()
			hasDuration = true
		case keyIdleDuration:
			it.IdleDuration = s.numberOrNull()
		case keyTimestamp:
			it.Timestamp = s.numberOrNull()
		case keyError:
			s.errorList(it)
		case keyAtomicActions:
			switch s.ws() {
			case '[':
				it.Atomics = s.atomics(0)
			case '{':
				s.oldAtomics(it)
			case 'n':
				s.literal("null")
			default:
				s.fail(fastGiveUp)
			}
		case keyOutput:
			// Nearly always empty, as Python's json.dumps or a compact
			// writer puts it: compared whole rather than walked.
			if s.ws() != '{' || !(s.lit(`{"additive": [], "complete": []}`) || s.lit(`{"additive":[],"complete":[]}`)) {
				s.skip(0)
			}
		default:
			s.skip(0)
		}
		switch s.ws() {
		case ',':
			s.i++
			s.ws()
			continue
		case '}':
			s.i++
			if !hasDuration {
				return fastGiveUp
			}
			if s.bad != 0 {
				return s.bad
			}
			return s.i
		default:
			s.fail(fastGiveUp)
		}
	}
	return s.bad
}

// The keys the fast path reads, in the two objects it reads.
const (
	keyOther = iota
	keyDuration
	keyIdleDuration
	keyTimestamp
	keyError
	keyAtomicActions
	keyName
	keyStartedAt
	keyFinishedAt
	keyFailed
	keyChildren
	keyOutput
)

var keys = map[string]int{
	"duration": keyDuration, "idle_duration": keyIdleDuration, "timestamp": keyTimestamp,
	"error": keyError, "atomic_actions": keyAtomicActions, "name": keyName,
	"started_at": keyStartedAt, "finished_at": keyFinishedAt, "failed": keyFailed,
	"children": keyChildren, "output": keyOutput,
}

// key reads an object key and says which it is. The known keys are
// compared in place, quotes included, by their first letter: scanning
// every key byte by byte for its end was a fifth of the reading time.
func (s *fastScanner) key() int {
	if s.ws() != '"' {
		s.fail(fastGiveUp)
		return keyOther
	}
	if s.i+1 < len(s.b) {
		switch s.b[s.i+1] {
		case 'n':
			if s.lit(`"name"`) {
				return keyName
			}
		case 's':
			if s.lit(`"started_at"`) {
				return keyStartedAt
			}
		case 'f':
			if s.lit(`"finished_at"`) {
				return keyFinishedAt
			}
			if s.lit(`"failed"`) {
				return keyFailed
			}
		case 'c':
			if s.lit(`"children"`) {
				return keyChildren
			}
		case 'd':
			if s.lit(`"duration"`) {
				return keyDuration
			}
		case 'i':
			if s.lit(`"idle_duration"`) {
				return keyIdleDuration
			}
		case 't':
			if s.lit(`"timestamp"`) {
				return keyTimestamp
			}
		case 'e':
			if s.lit(`"error"`) {
				return keyError
			}
		case 'a':
			if s.lit(`"atomic_actions"`) {
				return keyAtomicActions
			}
		case 'o':
			if s.lit(`"output"`) {
				return keyOutput
			}
		}
	}
	k, ok := s.rawString()
	if !ok {
		return keyOther
	}
	return keys[string(k)] // keyOther when unknown
}

// lit consumes want when the input starts with it.
func (s *fastScanner) lit(want string) bool {
	if len(s.b)-s.i >= len(want) && string(s.b[s.i:s.i+len(want)]) == want {
		s.i += len(want)
		return true
	}
	return false
}

// rawString reads a string without escapes or control characters and
// returns its bytes (valid UTF-8 or not: the caller decides).
func (s *fastScanner) rawString() ([]byte, bool) {
	if s.ws() != '"' {
		s.fail(fastGiveUp)
		return nil, false
	}
	b := s.b
	start := s.i + 1
	for i := start; i < len(b); i++ {
		c := b[i]
		if c == '"' {
			s.i = i + 1
			return b[start:i], true
		}
		if c == '\\' || c < 0x20 {
			s.fail(fastGiveUp)
			return nil, false
		}
	}
	s.fail(fastShort)
	return nil, false
}

// str reads a string as the lexer's str does (interned when short, bad
// UTF-8 replaced); escapes are left to the general path.
func (s *fastScanner) str() string {
	// The usual name: printable ASCII up to the quote, one table load
	// a byte.
	b := s.b
	start := s.i + 1
	i := start
	for i < len(b) && plain[b[i]] {
		i++
	}
	if i < len(b) && b[i] == '"' {
		s.i = i + 1
		return s.in.intern(b[start:i])
	}
	body, ok := s.rawString()
	if !ok {
		return ""
	}
	for _, c := range body {
		if c >= 0x80 {
			if !utf8.Valid(body) {
				s.fail(fastGiveUp)
				return ""
			}
			break
		}
	}
	return s.in.intern(body)
}

// plain marks the bytes that stand for themselves in a string: printable
// ASCII but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// literal reads the literal want.
func (s *fastScanner) literal(want string) {
	if len(s.b)-s.i < len(want) {
		s.fail(fastShort)
		return
	}
	if string(s.b[s.i:s.i+len(want)]) != want {
		s.fail(fastGiveUp)
		return
	}
	s.i += len(want)
}

func (s *fastScanner) numberOrNull() float64 {
	switch c := s.ws(); {
	case c == 'n':
		s.literal("null")
		return 0
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	default:
		s.fail(fastGiveUp)
		return 0
	}
}

// number reads a JSON number at s.i: the grammar checked, its value the
// correctly rounded float64 (what strconv.ParseFloat gives).
func (s *fastScanner) number() float64 {
	v, n := parseNumber(s.b[s.i:])
	if n < 0 {
		s.fail(n)
		return 0
	}
	s.i += n
	return v
}

// errorList reads "error": [] or a list of strings, or null.
func (s *fastScanner) errorList(it *Iteration) {
	switch s.ws() {
	case 'n':
		s.literal("null")
		return
	case '[':
	default:
		s.fail(fastGiveUp)
		return
	}
	s.i++
	if s.ws() == ']' {
		s.i++
		return
	}
	for s.bad == 0 {
		if s.ws() != '"' {
			s.fail(fastGiveUp) // not a string: the general path keeps it raw
			return
		}
		it.Error = append(it.Error, s.errString())
		switch s.ws() {
		case ',':
			s.i++
		case ']':
			s.i++
			return
		default:
			s.fail(fastGiveUp)
		}
	}
}

// errString reads an error item (a type, a message, a traceback, which
// do have escapes) as the lexer's str does.
func (s *fastScanner) errString() string {
	b := s.b
	start := s.i + 1
	escaped := false
	var high byte
	for i := start; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			body := b[start:i]
			s.i = i + 1
			if !escaped {
				if high >= 0x80 && !utf8.Valid(body) {
					s.fail(fastGiveUp)
					return ""
				}
				if len(body) <= 64 {
					return s.in.intern(body)
				}
			}
			v, err := s.in.decoded(body, escaped)
			if err != nil {
				s.fail(fastGiveUp)
			}
			return v
		case c == '\\':
			escaped = true
			i++
		case c < 0x20:
			s.fail(fastGiveUp)
			return ""
		}
		high |= c
	}
	s.fail(fastShort)
	return ""
}

// atomics reads a report-format list of atomic actions, as
// reader.atomics does (same arena, same order).
func (s *fastScanner) atomics(depth int) []Atomic {
	if depth > maxDepth {
		s.fail(fastGiveUp)
		return nil
	}
	arena := s.arena
	for len(*arena) <= depth {
		*arena = append(*arena, nil)
	}
	first := len((*arena)[depth])
	s.i++ // '['
	if s.ws() == ']' {
		s.i++
		return nil
	}
	for s.bad == 0 {
		if s.ws() != '{' {
			s.fail(fastGiveUp)
			break
		}
		s.i++
		var a Atomic
		var started, finished float64
		var hasS, hasF bool
		if s.ws() == '}' {
			s.fail(fastGiveUp) // no started_at: the general path says so
			break
		}
		for s.bad == 0 {
			k := s.key()
			if s.ws() != ':' {
				s.fail(fastGiveUp)
				break
			}
			s.i++
			switch k {
			case keyName:
				if s.ws() != '"' {
					s.fail(fastGiveUp)
				} else {
					a.Name = s.str()
				}
			case keyStartedAt:
				started, hasS = s.numberOrNull(), true
			case keyFinishedAt:
				finished, hasF = s.numberOrNull(), true
			case keyFailed:
				switch s.ws() {
				case 't':
					s.literal("true")
					a.Failed = true
				case 'f':
					s.literal("false")
					a.Failed = false
				case 'n':
					s.literal("null")
					a.Failed = false
				default:
					s.fail(fastGiveUp)
				}
			case keyChildren:
				if s.ws() != '[' {
					s.fail(fastGiveUp)
				} else {
					a.Children = s.atomics(depth + 1)
				}
			default:
				s.skip(0)
			}
			c := s.ws()
			if c == ',' {
				s.i++
				continue
			}
			if c == '}' {
				s.i++
				break
			}
			s.fail(fastGiveUp)
		}
		if s.bad != 0 {
			break
		}
		if !hasS || !hasF {
			s.fail(fastGiveUp)
			break
		}
		a.Started, a.Duration = started, finished-started
		(*arena)[depth] = append((*arena)[depth], a)
		c := s.ws()
		if c == ',' {
			s.i++
			continue
		}
		if c == ']' {
			s.i++
			break
		}
		s.fail(fastGiveUp)
	}
	level := (*arena)[depth]
	if s.bad != 0 || len(level) == first {
		return nil
	}
	return level[first:len(level):len(level)]
}

// oldAtomics reads the old results format's {name: seconds, ...}, in
// execution order, appended to it.Atomics as the general path does.
func (s *fastScanner) oldAtomics(it *Iteration) {
	s.i++ // '{'
	if s.ws() == '}' {
		s.i++
		return
	}
	for s.bad == 0 {
		if s.ws() != '"' {
			s.fail(fastGiveUp)
			return
		}
		name := s.str()
		if s.ws() != ':' {
			s.fail(fastGiveUp)
			return
		}
		s.i++
		d := s.numberOrNull()
		it.Atomics = append(it.Atomics, Atomic{Name: name, Duration: d})
		switch s.ws() {
		case ',':
			s.i++
		case '}':
			s.i++
			return
		default:
			s.fail(fastGiveUp)
		}
	}
}

// skip reads one value of any kind, checking it as the general path's skip
// does.
func (s *fastScanner) skip(depth int) {
	if depth > maxDepth {
		s.fail(fastGiveUp)
		return
	}
	switch c := s.ws(); c {
	case '{':
		s.i++
		if s.ws() == '}' {
			s.i++
			return
		}
		for s.bad == 0 {
			s.skipString()
			if s.ws() != ':' {
				s.fail(fastGiveUp)
				return
			}
			s.i++
			s.skip(depth + 1)
			switch s.ws() {
			case ',':
				s.i++
			case '}':
				s.i++
				return
			default:
				s.fail(fastGiveUp)
			}
		}
	case '[':
		s.i++
		if s.ws() == ']' {
			s.i++
			return
		}
		for s.bad == 0 {
			s.skip(depth + 1)
			switch s.ws() {
			case ',':
				s.i++
			case ']':
				s.i++
				return
			default:
				s.fail(fastGiveUp)
			}
		}
	case '"':
		s.skipString()
	case 't':
		s.literal("true")
	case 'f':
		s.literal("false")
	case 'n':
		s.literal("null")
	case 0:
	default:
		if c == '-' || c >= '0' && c <= '9' {
			// Converted too: the general path rejects what overflows.
			_, n := parseNumber(s.b[s.i:])
			if n < 0 {
				s.fail(n)
				return
			}
			s.i += n
			return
		}
		s.fail(fastGiveUp)
	}
}

// skipString reads a string, checking its escapes; any bytes are
// accepted otherwise (the general path replaces bad UTF-8).
func (s *fastScanner) skipString() {
	if s.ws() != '"' {
		s.fail(fastGiveUp)
		return
	}
	b := s.b
	for i := s.i + 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			s.i = i + 1
			return
		case c < 0x20:
			s.fail(fastGiveUp)
			return
		case c == '\\':
			if i+1 >= len(b) {
				s.fail(fastShort)
				return
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+6 > len(b) {
					s.fail(fastShort)
					return
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						s.fail(fastGiveUp)
						return
					}
				}
				i += 5
			default:
				s.fail(fastGiveUp)
				return
			}
		}
	}
	s.fail(fastShort)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// decimal is a number as scanned: mant × 10^exp10 when it has at most 19
// digits (leading zeros included) and a short exponent; else many is set
// and strconv converts it.
type decimal struct {
	neg   bool
	mant  uint64
	exp10 int
	many  bool
}

// scanNumber checks the JSON number grammar at b[0] and returns its digits
// and length, fastShort when b may end inside it, fastGiveUp when it is not
// a number the general path would take (which reads on through any byte a
// number can hold, then checks the whole).
func scanNumber(b []byte) (decimal, int) {
	var d decimal
	i := 0
	if i < len(b) && b[i] == '-' {
		d.neg = true
		i++
	}
	if i >= len(b) {
		return d, fastShort
	}
	start := i
	switch c := b[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		i, d.mant = digits(b, i, d.mant)
	default:
		return d, fastGiveUp
	}
	nd := i - start
	if i < len(b) && b[i] == '.' {
		i++
		frac := i
		i, d.mant = digits(b, i, d.mant)
		if i == frac {
			if i == len(b) {
				return d, fastShort
			}
			return d, fastGiveUp
		}
		nd += i - frac
		d.exp10 = frac - i
	}
	if nd > 19 {
		d.many = true
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		neg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			neg = b[i] == '-'
			i++
		}
		digits := i
		e := 0
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			if e < 10000 {
				e = e*10 + int(c)
			}
		}
		if i == digits {
			if i == len(b) {
				return d, fastShort
			}
			return d, fastGiveUp
		}
		if e >= 10000 {
			d.many = true
		}
		if neg {
			e = -e
		}
		d.exp10 += e
	}
	if i == len(b) {
		return d, fastShort // the number may go on
	}
	if isNumByte(b[i]) {
		return d, fastGiveUp // e.g. 1.2.3: the general path rejects it
	}
	return d, i
}

// digits takes the run of decimal digits of b from i into mant and
// returns where it ends. Past 19 digits mant wraps: callers count. (Eight
// digits at a time by SWAR was tried: no faster on these numbers.)
func digits(b []byte, i int, mant uint64) (int, uint64) {
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
	}
	return i, mant
}

// parseNumber scans a number and converts it.
func parseNumber(b []byte) (float64, int) {
	d, n := scanNumber(b)
	if n < 0 {
		return 0, n
	}
	if v, ok := d.float(); ok {
		return v, n
	}
	v, err := strconv.ParseFloat(string(b[:n]), 64)
	if err != nil {
		return 0, fastGiveUp // out of range: the general path says so
	}
	return v, n
}

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// float converts d exactly (correctly rounded, ties to even, as
// strconv.ParseFloat) when it can do so cheaply; ok false otherwise.
func (d decimal) float() (float64, bool) {
	if d.many {
		return 0, false
	}
	var v float64
	switch {
	case d.mant == 0:
		v = 0
	case d.mant < 1<<53 && d.exp10 >= -22 && d.exp10 <= 22:
		// Both exact in a float64, so one IEEE operation rounds once
		// (Clinger's fast path).
		if d.exp10 < 0 {
			v = float64(d.mant) / pow10[-d.exp10]
		} else {
			v = float64(d.mant) * pow10[d.exp10]
		}
	case d.exp10 <= 0 && d.exp10 >= -27:
		// mant / 10^k = (mant / 5^k) · 2^-k with 5^k < 2^64: an exact
		// integer division to 128 bits, rounded once.
		var ok bool
		if v, ok = divPow5(d.mant, -d.exp10); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if d.neg {
		v = -v
	}
	return v, true
}

// divPow5 returns mant / 5^k · 2^-k correctly rounded, for mant > 0 and
// k ≤ 27.
func divPow5(mant uint64, k int) (float64, bool) {
	if mant == 0 || k < 0 || k > 27 {
		return 0, false
	}
	hi, lo, r, lz := quo128(mant, k)
	// Round Q to 53 significant bits: top, then the bit below it (half)
	// and whether anything below that is set (rest, r included).
	shift := 128 - bits.LeadingZeros64(hi) - 53 // 12..75
	var top uint64
	if shift >= 64 {
		top = hi >> (shift - 64)
	} else {
		top = hi<<(64-shift) | lo>>shift
	}
	half := bit128(hi, lo, shift-1)
	rest := r != 0 || low128(hi, lo, shift-1)
	if half && (rest || top&1 == 1) {
		top++
		if top == 1<<53 {
			top >>= 1
			shift++
		}
	}
	// value = top · 2^(shift - 64 - lz - k); normal for every input here
	// (≥ 1e-27), so the scaling by a power of two is exact.
	e := shift - 64 - lz - k
	return float64(top) * math.Float64frombits(uint64(1023+e)<<52), true
}

// pow5 holds 5^k for k ≤ 27 (5^27 < 2^63).
var pow5 = func() (t [28]uint64) {
	t[0] = 1
	for k := 1; k < len(t); k++ {
		t[k] = t[k-1] * 5
	}
	return t
}()

// quo128 returns Q = m·2^64 / 5^k as hi:lo (hi ≥ 1) and its remainder r,
// where m is mant shifted left by lz to set its top bit (so Q has at least
// 65 bits).
func quo128(mant uint64, k int) (hi, lo, r uint64, lz int) {
	d := pow5[k]
	lz = bits.LeadingZeros64(mant)
	m := mant << lz
	hi, r = m/d, m%d
	lo, r = bits.Div64(r, 0, d)
	return hi, lo, r, lz
}

// bit128 is bit j of hi:lo.
func bit128(hi, lo uint64, j int) bool {
	if j >= 64 {
		return hi>>(j-64)&1 == 1
	}
	return lo>>j&1 == 1
}

// low128 tells whether any of the n lowest bits of hi:lo is set.
func low128(hi, lo uint64, n int) bool {
	if n >= 64 {
		return lo != 0 || hi&(1<<(n-64)-1) != 0
	}
	return lo&(1<<n-1) != 0
}
