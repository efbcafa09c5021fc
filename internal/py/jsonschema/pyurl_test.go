package jsonschema

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// urlCases are bases and references of the kinds schemas use, and the
// corners where urllib.parse differs from RFC 3986 or net/url.
var urlCases = []string{
	"", "#", "#/definitions/a", "#/definitions/a/", "#foo", "#/$defs/a%25b", "?", "?q", "?q#f",
	"http://json-schema.org/draft-04/schema", "http://json-schema.org/draft-04/schema#",
	"https://json-schema.org/draft/2020-12/schema", "HTTPS://Json-Schema.org/draft/2020-12/schema?#",
	" http://json-schema.org/draft-07/sch\tema#", "\x00http://x/y", "http://x/y ",
	"meta/core", "meta/validation#/$defs/stringArray", "../meta/core", "./a", ".", "..", "a/../b/./c",
	"/abs/path", "//host/path", "http://example.com/root.json", "http://example.com/dir/",
	"http://example.com/dir/a;p?q#f", "http://example.com", "root.json", "root.json#/definitions/a",
	"urn:example:root", "urn:example:root#frag", "tag:example.com,2024:x", "mailto:a@b",
	"file:///tmp/x.json", "ftp://h/a/b", "svn+ssh://h/r", "1http://x", "a+b-c.d:rest", "http:path",
	"http:", "http://[::1]/x", "http://[::1/x", "http://h:80/a/b/../../../c", "a//b//c", "a/b;x/c",
	"https://json-schema.org/draft/2019-09/schema#", "http://x/a/b/c/d;p?q",
}

// TestURLAgainstPython: urljoin, urldefrag and URIDict's normalisation
// give what Debian's Python 3.11 gives for every pair of urlCases (or
// fail where Python raises ValueError).
func TestURLAgainstPython(t *testing.T) {
	requirePython(t)
	script := `
import json, sys
from urllib.parse import urljoin, urldefrag, urlsplit
cases = json.load(open(sys.argv[1]))
def attempt(f):
    try:
        return f()
    except ValueError:
        return None
out = {
    "norm": [attempt(lambda: urlsplit(u).geturl()) for u in cases],
    "defrag": [attempt(lambda: list(urldefrag(u))) for u in cases],
    "join": [[attempt(lambda: urljoin(b, u)) for u in cases] for b in cases],
}
json.dump(out, open(sys.argv[2], "w"))
`
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json")
	data, _ := json.Marshal(urlCases)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(python, "-c", script, in, out).CombinedOutput(); err != nil {
		t.Fatalf("python: %v\n%s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var py struct {
		Norm   []*string   `json:"norm"`
		Defrag [][]string  `json:"defrag"`
		Join   [][]*string `json:"join"`
	}
	if err := json.Unmarshal(raw, &py); err != nil {
		t.Fatal(err)
	}
	same := func(what string, want *string, got string, err error) {
		t.Helper()
		switch {
		case want == nil && err == nil:
			t.Errorf("%s: Python raises ValueError, Go gives %q", what, got)
		case want != nil && err != nil:
			// The IPv6 and NFKC checks are not ported: refusing is the
			// safe side (Compile refuses the schema).
			if !strings.Contains(what, "[") {
				t.Errorf("%s: Python gives %q, Go fails: %v", what, *want, err)
			}
		case want != nil && *want != got:
			t.Errorf("%s: Python gives %q, Go %q", what, *want, got)
		}
	}
	pairs := 0
	for i, u := range urlCases {
		got, err := normalizeURI(u)
		same("normalize("+strconvQuote(u)+")", py.Norm[i], got, err)
		base, frag, err := urldefrag(u)
		if py.Defrag[i] == nil {
			same("urldefrag("+strconvQuote(u)+")", nil, base, err)
		} else {
			joined := base + "#" + frag
			want := py.Defrag[i][0] + "#" + py.Defrag[i][1]
			same("urldefrag("+strconvQuote(u)+")", &want, joined, err)
		}
		for j, b := range urlCases {
			got, err := urljoin(b, u)
			same("urljoin("+strconvQuote(b)+", "+strconvQuote(u)+")", py.Join[j][i], got, err)
			pairs++
		}
	}
	t.Logf("%d urljoin pairs, %d URLs normalised and defragmented", pairs, len(urlCases))
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The embedded metaschemas are the installed python3-jsonschema's.
func TestEmbeddedMetaschemas(t *testing.T) {
	dir := "/usr/lib/python3/dist-packages/jsonschema/schemas"
	for name, embedded := range map[string]string{
		"draft4.json": metaDraft4, "draft6.json": metaDraft6, "draft7.json": metaDraft7,
		"draft2019-09.json": metaDraft2019, "draft2020-12.json": metaDraft2020,
		"vocabularies.json": metaVocabularies,
	} {
		installed, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%v; install python3-jsonschema with: bash scripts/install-deps.sh", err)
		}
		if string(installed) != embedded {
			t.Errorf("metaschemas/%s differs from %s/%s", name, dir, name)
		}
	}
}
