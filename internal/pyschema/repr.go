package pyschema

// FloatRepr is Python's repr(float) (and str(float)): 2.0 → "2.0",
// 1e16 → "1e+16". Rally's validators turn numbers into strings this way.
func FloatRepr(f float64) string { return pyFloat(f) }
