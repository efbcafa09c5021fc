package results

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// lexer is a small streaming JSON scanner over a sliding buffer. It exists
// for speed: encoding/json's Decoder reads ~30 MB/s on Rally reports (it
// scans every value twice and decodes by reflection); iterations are parsed
// here by hand at several times that, in the same bounded memory. Small
// non-iteration values are captured raw and handed to encoding/json.
type lexer struct {
	src  io.Reader
	buf  []byte
	pos  int
	base int64 // file offset of buf[0]
	eof  bool
	err  error
	// in interns short strings: keys and action names repeat in every
	// iteration, and allocating them each time was a third of the work.
	in interner
	// keep, when ≥ 0, pins buf[keep:] so a raw value can be captured;
	// otherwise refills keep buf[pos:] (the token being read).
	keep int
	// busy, when set, is closed once a helper reading buf is done: the
	// buffer is not moved before (ahead.go).
	busy chan struct{}
}

// maxRaw bounds a captured value (task/workload metadata, statistics): a
// hostile file cannot make the reader hold more than this at once.
const maxRaw = 64 << 20

var errTruncated = errors.New("unexpected end of file (truncated JSON?)")

func newLexer(r io.Reader) *lexer {
	return &lexer{src: r, buf: make([]byte, 0, 1<<16), keep: -1}
}

// offset is the file offset of the next unread byte.
func (l *lexer) offset() int64 { return l.base + int64(l.pos) }

// fill reads more input; false at EOF or on error.
func (l *lexer) fill() bool {
	if l.eof {
		return false
	}
	if l.busy != nil {
		<-l.busy
	}
	drop := l.pos
	if l.keep >= 0 {
		drop = l.keep
	}
	if len(l.buf)-drop > maxRaw {
		l.err = fmt.Errorf("value larger than %d MB", maxRaw>>20)
		l.eof = true
		return false
	}
	if drop > 0 {
		n := copy(l.buf, l.buf[drop:])
		l.buf = l.buf[:n]
		l.pos -= drop
		l.base += int64(drop)
		if l.keep >= 0 {
			l.keep -= drop
		}
	}
	if len(l.buf) == cap(l.buf) {
		nb := make([]byte, len(l.buf), 2*cap(l.buf))
		copy(nb, l.buf)
		l.buf = nb
	}
	n, err := l.src.Read(l.buf[len(l.buf):cap(l.buf)])
	l.buf = l.buf[:len(l.buf)+n]
	if err != nil {
		l.eof = true
		if err != io.EOF {
			l.err = err
		}
	}
	return n > 0 || !l.eof
}

func (l *lexer) fail() error {
	if l.err != nil {
		return l.err
	}
	return errTruncated
}

// peek skips whitespace and returns the next byte without consuming it.
func (l *lexer) peek() (byte, error) {
	for {
		for l.pos < len(l.buf) {
			switch c := l.buf[l.pos]; c {
			case ' ', '\t', '\n', '\r':
				l.pos++
			default:
				return c, nil
			}
		}
		if !l.fill() {
			return 0, l.fail()
		}
	}
}

func (l *lexer) expect(c byte, what string) error {
	got, err := l.peek()
	if err != nil {
		return err
	}
	if got != c {
		return fmt.Errorf("%s: want %q, got %q", what, c, got)
	}
	l.pos++
	return nil
}

// atEOF tells whether only whitespace remains.
func (l *lexer) atEOF() bool {
	_, err := l.peek()
	return err == errTruncated
}

// str reads a string. l.pos stays on the string's first byte until it is
// complete, so refills keep it in the buffer.
func (l *lexer) str() (string, error) {
	if err := l.expect('"', "string"); err != nil {
		return "", err
	}
	scanned, escaped := 0, false
	var high byte // OR of the bytes: below 0x80, the string is ASCII
	for {
		i := l.pos + scanned
		for i < len(l.buf) {
			c := l.buf[i]
			if c == '"' {
				break
			}
			if c == '\\' {
				escaped = true
				i += 2
				continue
			}
			if c < 0x20 {
				return "", errors.New("control character in string")
			}
			high |= c
			i++
		}
		if i < len(l.buf) {
			body := l.buf[l.pos:i]
			l.pos = i + 1
			if !escaped {
				if high >= 0x80 && !utf8.Valid(body) {
					return string(bytes.ToValidUTF8(body, []byte("\uFFFD"))), nil
				}
				return l.in.intern(body), nil
			}
			return unquote(body)
		}
		scanned = i - l.pos
		if !l.fill() {
			return "", l.fail()
		}
	}
}

// unquote decodes a string body with escapes, as encoding/json does.
func unquote(body []byte) (string, error) {
	q := make([]byte, 0, len(body)+2)
	q = append(append(append(q, '"'), body...), '"')
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return "", fmt.Errorf("bad string: %w", err)
	}
	return s, nil
}

// interner hands out one string per distinct short byte string, and
// remembers the values of long string bodies.
type interner struct {
	strs  map[string]string
	cache [512]string
	// long maps the raw body of a long or escaped string to its value:
	// the message and traceback of a failure come back in every iteration
	// that fails so, and decoding and copying them each time was most of
	// the reading of a failing run, and all its garbage.
	long      map[string]string
	longBytes int
}

// longBudget bounds the bytes long keeps (bodies and values).
const longBudget = 1 << 20

// decoded returns the value of a string body, escaped or not, from long
// when it was seen before.
func (l *interner) decoded(body []byte, escaped bool) (string, error) {
	if v, ok := l.long[string(body)]; ok { // no allocation for the lookup
		return v, nil
	}
	v := string(body)
	key := v
	if escaped {
		var err error
		if v, err = unquote(body); err != nil {
			return "", err
		}
	}
	size := len(key)
	if escaped {
		size += len(v)
	}
	if l.longBytes+size <= longBudget {
		if l.long == nil {
			l.long = map[string]string{}
		}
		l.long[key] = v
		l.longBytes += size
	}
	return v, nil
}

func (l *interner) intern(b []byte) string {
	if len(b) > 64 {
		return string(b)
	}
	// A direct-mapped cache in front of the map: the same few keys and
	// action names come back in every iteration, and the map's hashing and
	// probing were a fifth of the reading time.
	h := hashShort(b) & (len(l.cache) - 1)
	if s := l.cache[h]; s == string(b) { // no allocation for the comparison
		return s
	}
	s, ok := l.strs[string(b)] // no allocation for the lookup
	if !ok {
		s = string(b)
		if l.strs == nil {
			l.strs = map[string]string{}
		}
		if len(l.strs) < 4096 {
			l.strs[s] = s
		}
	}
	l.cache[h] = s
	return s
}

// hashShort mixes a short string: from 8 bytes on, its first, middle and
// last 8 bytes and its length (a collision only costs a map lookup).
func hashShort(b []byte) int {
	n := len(b)
	x := uint64(n) * 0x9E3779B97F4A7C15
	if n >= 8 {
		x ^= binary.LittleEndian.Uint64(b) * 0xC2B2AE3D27D4EB4F
		x ^= binary.LittleEndian.Uint64(b[n/2-4:]) * 0x165667B19E3779F9
		x ^= binary.LittleEndian.Uint64(b[n-8:]) * 0x9E3779B97F4A7C15
		x *= 0x9E3779B97F4A7C15
	} else {
		for _, c := range b {
			x = (x ^ uint64(c)) * 0x100000001B3
		}
	}
	return int(x >> 40)
}

// num reads a number.
func (l *lexer) num() (float64, error) {
	if _, err := l.peek(); err != nil {
		return 0, err
	}
	scanned := 0
	for {
		i := l.pos + scanned
		for i < len(l.buf) && isNumByte(l.buf[i]) {
			i++
		}
		if i == len(l.buf) {
			scanned = i - l.pos
			if l.fill() {
				continue
			}
			if l.err != nil {
				return 0, l.err
			}
			i = l.pos + scanned
		}
		tok := l.buf[l.pos:i]
		if len(tok) == 0 || !validNumber(tok) {
			return 0, fmt.Errorf("want a value, got %q", firstBytes(l.buf[l.pos:], 12))
		}
		l.pos = i
		return strconv.ParseFloat(string(tok), 64)
	}
}

func firstBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks JSON number grammar (ParseFloat alone accepts more).
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}

// literal reads true, false or null.
func (l *lexer) literal() (string, error) {
	c, err := l.peek()
	if err != nil {
		return "", err
	}
	var want string
	switch c {
	case 't':
		want = "true"
	case 'f':
		want = "false"
	case 'n':
		want = "null"
	default:
		return "", fmt.Errorf("unexpected %q", c)
	}
	for len(l.buf)-l.pos < len(want) {
		if !l.fill() {
			return "", l.fail()
		}
	}
	if string(l.buf[l.pos:l.pos+len(want)]) != want {
		return "", fmt.Errorf("bad literal %q", firstBytes(l.buf[l.pos:], len(want)))
	}
	l.pos += len(want)
	return want, nil
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 1000

// skip reads and discards one value.
func (l *lexer) skip(depth int) error {
	if depth > maxDepth {
		return errors.New("nesting too deep")
	}
	c, err := l.peek()
	if err != nil {
		return err
	}
	switch c {
	case '{':
		return l.object(func(string) error { return l.skip(depth + 1) })
	case '[':
		return l.array(func() error { return l.skip(depth + 1) })
	case '"':
		_, err := l.str()
		return err
	case 't', 'f', 'n':
		_, err := l.literal()
		return err
	default:
		_, err := l.num()
		return err
	}
}

// raw captures one value's bytes (for encoding/json).
func (l *lexer) raw() ([]byte, error) {
	if _, err := l.peek(); err != nil {
		return nil, err
	}
	startOff := l.offset()
	l.keep = l.pos
	err := l.skip(0)
	s := int(startOff - l.base)
	out := append([]byte(nil), l.buf[s:l.pos]...)
	l.keep = -1
	return out, err
}

// object walks an object's members.
func (l *lexer) object(member func(key string) error) error {
	if err := l.expect('{', "object"); err != nil {
		return err
	}
	c, err := l.peek()
	if err != nil {
		return err
	}
	if c == '}' {
		l.pos++
		return nil
	}
	for {
		key, err := l.str()
		if err != nil {
			return err
		}
		if err := l.expect(':', "object"); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		c, err := l.peek()
		if err != nil {
			return err
		}
		l.pos++
		switch c {
		case ',':
		case '}':
			return nil
		default:
			l.pos--
			return fmt.Errorf("want ',' or '}', got %q", c)
		}
	}
}

// array walks an array's elements.
func (l *lexer) array(elem func() error) error {
	if err := l.expect('[', "array"); err != nil {
		return err
	}
	c, err := l.peek()
	if err != nil {
		return err
	}
	if c == ']' {
		l.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		c, err := l.peek()
		if err != nil {
			return err
		}
		l.pos++
		switch c {
		case ',':
		case ']':
			return nil
		default:
			l.pos--
			return fmt.Errorf("want ',' or ']', got %q", c)
		}
	}
}
