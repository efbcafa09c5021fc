package jinja

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
	"github.com/rallyforge/rallyforge/internal/py"
)

// Rally renders with Python's Jinja2, so a template computes with Python's
// values: 7 // 2.0 is 3.0, -3 // 2 is -2, 2 ** 10 is an int, '%s' % x
// formats, 'a' + 1 fails, and {{ x }} prints str(x) — None, True, a list
// or dict as its repr. gonja evaluates these the Go way. pythonize
// rewrites a parsed template so that every printed expression and every
// arithmetic operator goes through a filter with Python's semantics.

const (
	strFilter     = "__rallyforge_str"
	defaultFilter = "__rallyforge_default"
	opFilter      = "__rallyforge_op"
)

// pythonize rewrites a parsed template (and the templates it imports,
// which gonja parses with it) in place.
func pythonize(root *nodes.Template) {
	seen := map[uintptr]bool{}
	rewrite(reflect.ValueOf(root), seen)
}

var (
	outputType = reflect.TypeOf(&nodes.Output{})
	exprType   = reflect.TypeOf((*nodes.Expression)(nil)).Elem()
)

// rewrite walks any value of gonja's syntax tree, private fields included,
// and replaces arithmetic in every Expression slot.
func rewrite(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		rewrite(v.Elem(), seen)
		if v.Type() == exprType && v.CanSet() {
			if b, ok := v.Interface().(*nodes.BinaryExpression); ok {
				if r := pyBinary(b); r != nil {
					v.Set(reflect.ValueOf(r))
				}
			}
		}
	case reflect.Pointer:
		if v.IsNil() || v.Type() == tokenType {
			return
		}
		if seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		rewrite(v.Elem(), seen)
		if fe, ok := v.Interface().(*nodes.FilteredExpression); ok {
			pyDefault(fe)
		}
		if v.Type() == outputType {
			o := (*nodes.Output)(v.UnsafePointer())
			o.Expression = pyPrint(o.Expression)
			if o.Alternative != nil {
				o.Alternative = pyPrint(o.Alternative)
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if !f.CanSet() && f.CanAddr() {
				f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
			}
			rewrite(f, seen)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			rewrite(v.Index(i), seen)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Interface && e.Type() == exprType && !e.IsNil() {
				c := reflect.New(e.Type()).Elem()
				c.Set(e)
				rewrite(c, seen)
				v.SetMapIndex(k, c)
				continue
			}
			rewrite(e, seen)
		}
	}
}

// pyBinary is the filter call that computes b with Python's semantics, or
// nil for operators gonja already evaluates as Python does.
func pyBinary(b *nodes.BinaryExpression) nodes.Expression {
	op := b.Operator.Token.Val
	switch op {
	case "+", "-", "*", "/", "//", "%", "**":
	default:
		return nil
	}
	if _, ok := b.Right.(*nodes.Tuple); ok && op == "%" {
		op = "%tuple" // '%s %s' % (a, b) spreads; a list is one argument
	}
	return &nodes.FilteredExpression{Expression: b.Left, Filters: []*nodes.FilterCall{{
		Token: b.Operator.Token, Name: opFilter,
		Args: []nodes.Expression{strNode(b.Operator.Token, op), b.Right},
	}}}
}

// pyDefault makes x | default(…) of a variable keep a None value: only
// an undefined one takes the default in Jinja2.
func pyDefault(fe *nodes.FilteredExpression) {
	n, ok := fe.Expression.(*nodes.Name)
	if !ok || len(fe.Filters) == 0 {
		return
	}
	if f := fe.Filters[0]; f.Name == "default" || f.Name == "d" {
		f.Name = defaultFilter
		f.Args = append([]nodes.Expression{strNode(n.Name, n.Name.Val)}, f.Args...)
	}
}

func defaultOf(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if len(params.Args) == 0 {
		return pyErr("internal: default without a name")
	}
	name := params.Args[0].String()
	rest := &exec.VarArgs{Args: params.Args[1:], KwArgs: params.KwArgs}
	if _, defined := e.Environment.Context.Get(name); defined && in.IsNil() {
		boolean := len(rest.Args) > 1 && rest.Args[1].IsTrue()
		if b, ok := rest.KwArgs["boolean"]; ok {
			boolean = b.IsTrue()
		}
		if !boolean {
			return in
		}
	}
	return e.ExecuteFilterByName("default", in, rest)
}

// strNode is a string literal at pos (gonja evaluates a literal from its
// token's text).
func strNode(pos *tokens.Token, s string) *nodes.String {
	t := &tokens.Token{Type: tokens.String, Val: s}
	if pos != nil {
		t.Pos, t.Line, t.Col = pos.Pos, pos.Line, pos.Col
	}
	return &nodes.String{Location: t, Val: s}
}

// pyPrint wraps a printed expression in str(). gonja has one nil for both
// Python's None and Jinja2's Undefined (which prints as nothing); the
// filter tells them apart by how the value was reached.
func pyPrint(e nodes.Expression) nodes.Expression {
	if e == nil {
		return nil
	}
	kind := "value"
	switch n := e.(type) {
	case *nodes.Name:
		kind = "name:" + n.Name.Val
	case *nodes.GetAttribute, *nodes.GetItem:
		kind = "lookup"
	}
	return &nodes.FilteredExpression{Expression: e, Filters: []*nodes.FilterCall{{
		Token: e.Position(), Name: strFilter,
		Args: []nodes.Expression{strNode(e.Position(), kind)},
	}}}
}

func strOf(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if in.IsNil() {
		kind := ""
		if len(params.Args) > 0 {
			kind = params.Args[0].String()
		}
		switch {
		case strings.HasPrefix(kind, "name:"):
			if _, defined := e.Environment.Context.Get(strings.TrimPrefix(kind, "name:")); !defined {
				return exec.AsSafeValue("")
			}
		case kind == "lookup":
			// An undefined attribute or item prints as nothing; a key
			// whose value is None is rare in a task and prints the same.
			return exec.AsSafeValue("")
		}
		return exec.AsSafeValue("None")
	}
	return exec.AsSafeValue(pyStr(in))
}

// pyStr is Python's str() of a template value.
func pyStr(v *exec.Value) string {
	if v.IsString() {
		return v.String()
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a template value.
func pyRepr(v *exec.Value) string {
	if v == nil || v.IsNil() {
		return "None"
	}
	switch x := v.Interface().(type) {
	case *big.Int:
		return x.String()
	case *exec.Dict:
		parts := make([]string, 0, len(x.Pairs))
		for _, p := range x.Pairs {
			parts = append(parts, pyRepr(p.Key)+": "+pyRepr(p.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	switch {
	case v.IsString():
		return py.StrRepr(v.String())
	case v.IsBool():
		if v.Bool() {
			return "True"
		}
		return "False"
	case v.IsInteger():
		return strconv.Itoa(v.Integer())
	case v.IsFloat():
		return py.FloatRepr(v.Float())
	case v.IsList():
		parts := make([]string, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			parts = append(parts, pyRepr(v.Index(i)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case v.IsDict():
		var parts []string
		for _, p := range v.Items() {
			parts = append(parts, pyRepr(p.Key)+": "+pyRepr(p.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.String()
}

// pyNum is a Python number: an int (int64 or, beyond, *big.Int) or a float.
type pyNum struct {
	i     *big.Int
	f     float64
	float bool
}

func numOf(v *exec.Value) (pyNum, bool) {
	if v == nil || v.IsNil() {
		return pyNum{}, false
	}
	switch x := v.Interface().(type) {
	case *big.Int:
		return pyNum{i: x}, true
	}
	switch {
	case v.IsBool():
		if v.Bool() {
			return pyNum{i: big.NewInt(1)}, true
		}
		return pyNum{i: big.NewInt(0)}, true
	case v.IsInteger():
		return pyNum{i: big.NewInt(int64(v.Integer()))}, true
	case v.IsFloat():
		return pyNum{f: v.Float(), float: true}, true
	}
	return pyNum{}, false
}

func (n pyNum) toFloat() float64 {
	if n.float {
		return n.f
	}
	f, _ := new(big.Float).SetInt(n.i).Float64()
	return f
}

// value is the template value of an int result: a Go int when it fits,
// as gonja's own ints are.
func intValue(i *big.Int) *exec.Value {
	if i.IsInt64() && i.Int64() >= math.MinInt && i.Int64() <= math.MaxInt {
		return exec.AsValue(int(i.Int64()))
	}
	return exec.AsValue(i)
}

func pyType(v *exec.Value) string {
	return py.TypeName(plainLeaf(v))
}

// plainLeaf is v, or a Go value of its Python type standing in for it
// (containers empty), so that py names the type.
func plainLeaf(v *exec.Value) any {
	if v == nil || v.IsNil() {
		return nil
	}
	if b, ok := v.Interface().(*big.Int); ok {
		return b
	}
	switch {
	case v.IsString():
		return ""
	case v.IsBool():
		return false
	case v.IsInteger():
		return int64(0)
	case v.IsFloat():
		return 0.0
	case v.IsList():
		return []any(nil)
	case v.IsDict():
		return map[string]any(nil)
	}
	return v.Interface()
}

func pyErr(format string, a ...any) *exec.Value {
	return exec.AsValue(fmt.Errorf(format, a...))
}

func opOf(e *exec.Evaluator, left *exec.Value, params *exec.VarArgs) *exec.Value {
	if left.IsError() {
		return left
	}
	if e != nil && e.Environment != nil {
		if err := budgetOf(e.Environment.Context).stopped(); err != nil {
			return exec.AsValue(err)
		}
	}
	if len(params.Args) != 2 {
		return pyErr("internal: operator without operands")
	}
	op, right := params.Args[0].String(), params.Args[1]
	if right.IsError() {
		return right
	}
	unsupported := func() *exec.Value {
		o := strings.TrimSuffix(op, "tuple")
		return pyErr("TypeError: unsupported operand type(s) for %s: '%s' and '%s'", o, pyType(left), pyType(right))
	}
	a, aNum := numOf(left)
	b, bNum := numOf(right)
	if aNum && bNum {
		return arith(op, a, b)
	}
	switch op {
	case "+":
		switch {
		case left.IsString() && right.IsString():
			if n := len(left.String()) + len(right.String()); n > MaxString {
				return exec.AsValue(limitErr("string of %d bytes (limit %d)", n, MaxString))
			}
			return exec.AsValue(left.String() + right.String())
		case left.IsList() && right.IsList():
			if n := left.Len() + right.Len(); n > MaxItems {
				return exec.AsValue(limitErr("list of %d items (limit %d)", n, MaxItems))
			}
			out := make([]any, 0, left.Len()+right.Len())
			for i := 0; i < left.Len(); i++ {
				out = append(out, left.Index(i).Interface())
			}
			for i := 0; i < right.Len(); i++ {
				out = append(out, right.Index(i).Interface())
			}
			return exec.AsValue(out)
		case left.IsString():
			return pyErr("TypeError: can only concatenate str (not \"%s\") to str", pyType(right))
		}
	case "*":
		seq, n := left, b
		if !bNum {
			seq, n, bNum = right, a, aNum
		}
		if bNum && !n.float && (seq.IsString() || seq.IsList()) {
			k := int(n.i.Int64())
			if k < 0 {
				k = 0
			}
			// Python would build it ('a' * 10**9 is 1 GB); a linter
			// refuses before allocating.
			if !n.i.IsInt64() || seq.IsString() && k > 0 && len(seq.String()) > MaxString/k {
				return exec.AsValue(limitErr("string of more than %d bytes", MaxString))
			}
			if seq.IsList() && k > 0 && seq.Len() > MaxItems/k {
				return exec.AsValue(limitErr("list of more than %d items", MaxItems))
			}
			if seq.IsString() {
				return exec.AsValue(strings.Repeat(seq.String(), k))
			}
			out := []any{}
			for ; k > 0; k-- {
				for i := 0; i < seq.Len(); i++ {
					out = append(out, seq.Index(i).Interface())
				}
			}
			return exec.AsValue(out)
		}
	case "%", "%tuple":
		if left.IsString() {
			s, err := pyPercent(left.String(), right, op == "%tuple")
			if err != nil {
				return exec.AsValue(err)
			}
			return exec.AsValue(s)
		}
	}
	return unsupported()
}

func arith(op string, a, b pyNum) *exec.Value {
	if op == "/" || a.float || b.float {
		x, y := a.toFloat(), b.toFloat()
		switch op {
		case "+":
			return exec.AsValue(x + y)
		case "-":
			return exec.AsValue(x - y)
		case "*":
			return exec.AsValue(x * y)
		case "/":
			if y == 0 {
				return pyErr("ZeroDivisionError: division by zero")
			}
			return exec.AsValue(x / y)
		case "//":
			if y == 0 {
				return pyErr("ZeroDivisionError: float floor division by zero")
			}
			return exec.AsValue(math.Floor(x / y))
		case "%", "%tuple":
			if y == 0 {
				return pyErr("ZeroDivisionError: float modulo")
			}
			m := math.Mod(x, y)
			if m != 0 && (m < 0) != (y < 0) {
				m += y
			}
			return exec.AsValue(m)
		case "**":
			return exec.AsValue(math.Pow(x, y))
		}
	}
	x, y := a.i, b.i
	switch op {
	case "+":
		return intValue(new(big.Int).Add(x, y))
	case "-":
		return intValue(new(big.Int).Sub(x, y))
	case "*":
		return intValue(new(big.Int).Mul(x, y))
	case "//", "%", "%tuple":
		if y.Sign() == 0 {
			return pyErr("ZeroDivisionError: integer division or modulo by zero")
		}
		// Python floors; big.Int's Div/Mod are Euclidean.
		q, m := new(big.Int).QuoRem(x, y, new(big.Int))
		if m.Sign() != 0 && (m.Sign() < 0) != (y.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == "//" {
			return intValue(q)
		}
		return intValue(m)
	case "**":
		if y.Sign() < 0 {
			return exec.AsValue(math.Pow(a.toFloat(), b.toFloat()))
		}
		if y.BitLen() > 20 && x.CmpAbs(big.NewInt(1)) > 0 {
			return pyErr("OverflowError: exponent too large")
		}
		return intValue(new(big.Int).Exp(x, y, nil))
	}
	return pyErr("unsupported operator %s", op)
}

// pyPercent is Python's printf-style str % args.
func pyPercent(format string, args *exec.Value, spread bool) (string, error) {
	var list []*exec.Value
	var mapping *exec.Value
	switch {
	case spread:
		for i := 0; i < args.Len(); i++ {
			list = append(list, args.Index(i))
		}
	case args.IsDict():
		mapping = args
		list = []*exec.Value{args}
	default:
		list = []*exec.Value{args}
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return "", fmt.Errorf("ValueError: incomplete format")
		}
		var arg *exec.Value
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 || mapping == nil {
				return "", fmt.Errorf("TypeError: format requires a mapping")
			}
			key := format[i+1 : i+end]
			v, ok := mapping.GetItem(key)
			if !ok {
				return "", fmt.Errorf("KeyError: %s", py.StrRepr(key))
			}
			arg = v
			i += end + 1
		}
		j := i
		for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
			j++
		}
		for j < len(format) && (format[j] >= '0' && format[j] <= '9' || format[j] == '.') {
			j++
		}
		if j >= len(format) {
			return "", fmt.Errorf("ValueError: incomplete format")
		}
		spec, verb := format[i:j], format[j]
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if arg == nil {
			if next >= len(list) {
				return "", fmt.Errorf("TypeError: not enough arguments for format string")
			}
			arg = list[next]
			next++
		}
		switch verb {
		case 's', 'r', 'a':
			s := pyStr(arg)
			if verb != 's' {
				s = pyRepr(arg)
			}
			b.WriteString(fmt.Sprintf("%"+spec+"s", s))
		case 'd', 'i', 'u':
			n, ok := numOf(arg)
			if !ok {
				return "", fmt.Errorf("TypeError: %%%c format: a real number is required, not %s", verb, pyType(arg))
			}
			if n.float {
				n = pyNum{i: big.NewInt(int64(n.f))}
			}
			b.WriteString(fmt.Sprintf("%"+spec+"d", n.i))
		case 'x', 'X', 'o':
			n, ok := numOf(arg)
			if !ok || n.float {
				return "", fmt.Errorf("TypeError: %%%c format: an integer is required, not %s", verb, pyType(arg))
			}
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), n.i))
		case 'f', 'F', 'e', 'E', 'g', 'G':
			n, ok := numOf(arg)
			if !ok {
				return "", fmt.Errorf("TypeError: must be real number, not %s", pyType(arg))
			}
			if !strings.Contains(spec, ".") {
				spec += ".6"
			}
			b.WriteString(fmt.Sprintf("%"+spec+string(verb), n.toFloat()))
		case 'c':
			if arg.IsString() {
				b.WriteString(arg.String())
			} else if n, ok := numOf(arg); ok && !n.float {
				b.WriteRune(rune(n.i.Int64()))
			}
		default:
			return "", fmt.Errorf("ValueError: unsupported format character '%c'", verb)
		}
	}
	if mapping == nil && next < len(list) {
		return "", fmt.Errorf("TypeError: not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// pyFilters are gonja's filters with the ones whose result Python's
// Jinja2 computes differently replaced.
var pyFilters = sync.OnceValue(func() *exec.FilterSet {
	fs := exec.NewFilterSet(map[string]exec.FilterFunction{}).Update(builtins.Filters)
	fs.Register(strFilter, strOf)
	fs.Register(opFilter, opOf)
	fs.Register(defaultFilter, defaultOf)
	fs.Replace("string", func(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
		return exec.AsValue(pyStr(in))
	})
	fs.Replace("tojson", tojson)
	fs.Replace("format", func(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		args := make([]any, 0, len(params.Args))
		for _, a := range params.Args {
			args = append(args, a.Interface())
		}
		s, err := pyPercent(in.String(), exec.AsValue(args), true)
		if err != nil {
			return exec.AsValue(err)
		}
		return exec.AsValue(s)
	})
	fs.Replace("round", roundFilter)
	return fs
})

// tojson is Jinja2's htmlsafe_json_dumps: json.dumps with sorted keys and
// Python's separators, then <, >, & and ' escaped.
func tojson(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	var b strings.Builder
	if err := jsonOf(&b, in); err != nil {
		return exec.AsValue(err)
	}
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`)
	return exec.AsSafeValue(r.Replace(b.String()))
}

func jsonOf(b *strings.Builder, v *exec.Value) error {
	if v == nil || v.IsNil() {
		b.WriteString("null")
		return nil
	}
	if i, ok := v.Interface().(*big.Int); ok {
		b.WriteString(i.String())
		return nil
	}
	if d, ok := v.Interface().(*exec.Dict); ok {
		m := map[string]any{}
		for _, p := range d.Pairs {
			if !p.Key.IsString() {
				return fmt.Errorf("TypeError: keys must be str (tojson of a %s key)", pyType(p.Key))
			}
			m[p.Key.String()] = p.Value.Interface()
		}
		v = exec.AsValue(m)
	}
	switch {
	case v.IsString():
		s := v.String()
		b.WriteByte('"')
		for _, r := range s {
			switch {
			case r == '"':
				b.WriteString(`\"`)
			case r == '\\':
				b.WriteString(`\\`)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r == '\b':
				b.WriteString(`\b`)
			case r == '\f':
				b.WriteString(`\f`)
			case r < 0x20 || r > 0x7e:
				if r > 0xffff {
					var buf [2]uint16
					hi, lo := utf16Pair(r)
					buf[0], buf[1] = hi, lo
					fmt.Fprintf(b, `\u%04x\u%04x`, buf[0], buf[1])
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	case v.IsBool():
		if v.Bool() {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case v.IsInteger():
		b.WriteString(strconv.Itoa(v.Integer()))
	case v.IsFloat():
		f := v.Float()
		switch {
		case math.IsInf(f, 1):
			b.WriteString("Infinity")
		case math.IsInf(f, -1):
			b.WriteString("-Infinity")
		case math.IsNaN(f):
			b.WriteString("NaN")
		default:
			b.WriteString(py.FloatRepr(f))
		}
	case v.IsList():
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := jsonOf(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case v.IsDict():
		type kv struct {
			k string
			v *exec.Value
		}
		var items []kv
		for _, p := range v.Items() {
			if !p.Key.IsString() {
				return fmt.Errorf("TypeError: keys must be str (tojson of a %s key)", pyType(p.Key))
			}
			items = append(items, kv{p.Key.String(), p.Value})
		}
		sort.Slice(items, func(i, j int) bool { return items[i].k < items[j].k })
		b.WriteByte('{')
		for i, it := range items {
			if i > 0 {
				b.WriteString(", ")
			}
			kb, _ := json.Marshal(it.k)
			b.Write(kb)
			b.WriteString(": ")
			if err := jsonOf(b, it.v); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("TypeError: Object of type %s is not JSON serializable", pyType(v))
	}
	return nil
}

func utf16Pair(r rune) (uint16, uint16) {
	r -= 0x10000
	return uint16(0xd800 + (r>>10)&0x3ff), uint16(0xdc00 + r&0x3ff)
}

// roundFilter is Jinja2's do_round: 'common' is Python's round(value,
// precision) (an int stays an int), 'floor' and 'ceil' give floats.
func roundFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	precision, method := 0, "common"
	if len(params.Args) > 0 {
		precision = params.Args[0].Integer()
	}
	if len(params.Args) > 1 {
		method = params.Args[1].String()
	}
	if v, ok := params.KwArgs["precision"]; ok {
		precision = v.Integer()
	}
	if v, ok := params.KwArgs["method"]; ok {
		method = v.String()
	}
	n, ok := numOf(in)
	if !ok {
		return pyErr("TypeError: type %s doesn't define __round__ method", pyType(in))
	}
	scale := math.Pow(10, float64(precision))
	switch method {
	case "common":
		if !n.float {
			return intValue(n.i)
		}
		if precision < 0 {
			return exec.AsValue(math.RoundToEven(n.f*scale) / scale)
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(n.f, 'f', precision, 64), 64)
		return exec.AsValue(r)
	case "floor":
		return exec.AsValue(math.Floor(n.toFloat()*scale) / scale)
	case "ceil":
		return exec.AsValue(math.Ceil(n.toFloat()*scale) / scale)
	}
	return pyErr("FilterArgumentError: method must be common, ceil or floor")
}

// pyMethods are gonja's methods with str.replace's count optional, as in
// Python ('a-b'.replace('-', '_') fails in gonja).
var pyMethods = sync.OnceValue(func() exec.Methods {
	m := builtins.Methods
	orig, _ := hidden(m.Str, "methods").(map[string]exec.Method[string])
	str := map[string]exec.Method[string]{}
	for k, v := range orig {
		str[k] = v
	}
	str["replace"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if len(args.Args) < 2 || len(args.Args) > 3 {
			return nil, fmt.Errorf("TypeError: replace expected at least 2 arguments, got %d", len(args.Args))
		}
		n := -1
		if len(args.Args) == 3 {
			n = args.Args[2].Integer()
		}
		return strings.Replace(self, args.Args[0].String(), args.Args[1].String(), n), nil
	}
	m.Str = exec.NewMethodSet(str)
	return m
})
