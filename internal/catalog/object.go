package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Object is a JSON object kept as its members in order rather than as a
// map. The generated catalog (catalog_data.go) is then constant data that
// the linker lays out in the binary: Go builds every map literal at
// start-up, and the catalog's ~1,300 validator-argument and default-context
// maps cost a millisecond of every `rallyforge lint` run. Objects nested in
// an Object's values (directly or in lists) are Objects too.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// Get returns the value of key k (nil when absent).
func (o Object) Get(k string) any {
	v, _ := o.Lookup(k)
	return v
}

// Lookup returns the value of key k and whether it is present.
func (o Object) Lookup(k string) (any, bool) {
	for _, m := range o {
		if m.Key == k {
			return m.Value, true
		}
	}
	return nil, false
}

// Map converts the object, nested Objects included, into plain maps.
func (o Object) Map() map[string]any {
	if o == nil {
		return nil
	}
	m := make(map[string]any, len(o))
	for _, e := range o {
		m[e.Key] = Plain(e.Value)
	}
	return m
}

// Plain converts Objects anywhere in v into maps.
func Plain(v any) any {
	switch x := v.(type) {
	case Object:
		return x.Map()
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = Plain(e)
		}
		return l
	}
	return v
}

// MarshalJSON writes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.Key)
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object keeping its key order; nested objects
// become Objects, numbers float64 (as encoding/json decodes into any).
func (o *Object) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	v, err := decodeValue(d)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*o = nil
	case Object:
		*o = x
	default:
		return fmt.Errorf("catalog: want a JSON object, got %T", v)
	}
	return nil
}

func decodeValue(d *json.Decoder) (any, error) {
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'):
		o := Object{}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			o = append(o, Member{k, v})
		}
		_, err := d.Token() // '}'
		return o, err
	case json.Delim('['):
		l := []any{}
		for d.More() {
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := d.Token() // ']'
		return l, err
	}
	return t, nil
}

// VersionAtomics is Scenario.AtomicsByVersion as a list (constant data,
// see Object); its JSON form is an object of lists, keys sorted.
type VersionAtomics []VersionAtomic

// VersionAtomic is the atomic actions on one resolved API version.
type VersionAtomic struct {
	Version string // "identity:2", "volume:1", ...
	Atomics []string
}

// MarshalJSON writes {"version": [...], ...}.
func (v VersionAtomics) MarshalJSON() ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}
	m := make(map[string][]string, len(v))
	for _, e := range v {
		m[e.Version] = e.Atomics
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads {"version": [...], ...} in key order.
func (v *VersionAtomics) UnmarshalJSON(b []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*v = nil
		return nil
	}
	out := VersionAtomics{}
	for _, k := range sortedKeys(m) {
		out = append(out, VersionAtomic{k, m[k]})
	}
	*v = out
	return nil
}

// RawObject is a JSON object of raw values as a list (constant data, see
// Object); its JSON form is the object, keys sorted.
type RawObject []RawMember

// RawMember is one key of a RawObject.
type RawMember struct {
	Key   string
	Value json.RawMessage
}

// Get returns the raw value of key k.
func (o RawObject) Get(k string) (json.RawMessage, bool) {
	for _, m := range o {
		if m.Key == k {
			return m.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the object.
func (o RawObject) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	m := make(map[string]json.RawMessage, len(o))
	for _, e := range o {
		m[e.Key] = e.Value
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the object in key order.
func (o *RawObject) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*o = nil
		return nil
	}
	out := RawObject{}
	for _, k := range sortedKeys(m) {
		out = append(out, RawMember{k, m[k]})
	}
	*o = out
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
