package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
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
