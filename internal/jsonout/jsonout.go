// Package jsonout is how every command prints JSON (--format json, SARIF,
// data embedded in pages): two-space indentation and a final newline, so
// that outputs look alike and diff well.
package jsonout

import (
	"encoding/json"
	"io"
)

// Write prints v as indented JSON followed by a newline.
func Write(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
