package render

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// The HTML page shows a workload's configuration as YAML, the way task
// files are written, keeping the key order of the results file.

type kv struct {
	k string
	v any
}

type omap []kv

func decodeOrdered(d *json.Decoder, depth int) (any, error) {
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := t.(json.Delim)
	if !ok {
		return t, nil
	}
	if depth > 200 {
		return nil, errDeep
	}
	switch delim {
	case '{':
		m := omap{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeOrdered(d, depth+1)
			if err != nil {
				return nil, err
			}
			m = append(m, kv{k.(string), v})
		}
		_, err := d.Token()
		return m, err
	default:
		a := []any{}
		for d.More() {
			v, err := decodeOrdered(d, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := d.Token()
		return a, err
	}
}

type deepErr struct{}

func (deepErr) Error() string { return "nested too deep" }

var errDeep = deepErr{}

// toYAML renders a JSON document as block YAML; on any trouble it returns
// the JSON indented.
func toYAML(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeOrdered(d, 0)
	if err != nil {
		var b bytes.Buffer
		json.Indent(&b, raw, "", "  ")
		return b.String()
	}
	var b strings.Builder
	yamlValue(&b, v, 0, false)
	return b.String()
}

func yamlValue(b *strings.Builder, v any, indent int, inList bool) {
	pad := strings.Repeat("  ", indent)
	switch x := v.(type) {
	case omap:
		if len(x) == 0 {
			b.WriteString("{}\n")
			return
		}
		for i, e := range x {
			if !(inList && i == 0) {
				b.WriteString(pad)
			}
			b.WriteString(yamlScalar(e.k) + ":")
			yamlChild(b, e.v, indent+1)
		}
	case []any:
		if len(x) == 0 {
			b.WriteString("[]\n")
			return
		}
		for _, e := range x {
			b.WriteString(pad + "- ")
			switch c := e.(type) {
			case omap:
				if len(c) > 0 {
					yamlValue(b, c, indent+1, true)
					continue
				}
			case []any:
				if len(c) > 0 {
					b.WriteString("\n")
					yamlValue(b, c, indent+1, false)
					continue
				}
			}
			yamlValue(b, e, 0, false)
		}
	default:
		b.WriteString(yamlScalar(x) + "\n")
	}
}

// yamlChild writes the value of a mapping key: scalars and empty
// collections on the key's line, the rest indented below.
func yamlChild(b *strings.Builder, v any, indent int) {
	switch x := v.(type) {
	case omap:
		if len(x) > 0 {
			b.WriteString("\n")
			yamlValue(b, x, indent, false)
			return
		}
	case []any:
		if len(x) > 0 {
			b.WriteString("\n")
			yamlValue(b, x, indent, false)
			return
		}
	}
	b.WriteString(" ")
	yamlValue(b, v, 0, false)
}

var plainYAML = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./@()+-]*$`)

func yamlScalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case json.Number:
		return x.String()
	case string:
		switch strings.ToLower(x) {
		case "true", "false", "yes", "no", "on", "off", "null", "~":
		default:
			if plainYAML.MatchString(x) {
				return x
			}
		}
		q, _ := json.Marshal(x)
		return string(q)
	}
	return ""
}
