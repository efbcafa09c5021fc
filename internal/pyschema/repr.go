package pyschema

// FloatRepr is Python's repr(float) (and str(float)): 2.0 → "2.0",
// 1e16 → "1e+16". Rally's validators turn numbers into strings this way.
func FloatRepr(f float64) string { return pyFloat(f) }

// Equal is Python's == between decoded values (True == 1 == 1.0; lists
// and dicts element by element), for callers that judge as Rally's
// Python code does.
func Equal(a, b any) bool { return pyEq(a, b) }

// Repr is Python's repr() of a decoded value ({'a': True}, [1, 'x']).
func Repr(v any) string { return repr(v) }
