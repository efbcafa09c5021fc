package lint

import (
	"testing"
)

func TestRunSignature(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string // name? for required, name for optional, ** for kwargs, "nil" when unreadable
	}{
		{"\nclass A(scenario.OpenStackScenario):\n    def run(self, a, b=1, *args, **kwargs):\n        pass\n", "a? b **"},
		{"\nclass A(object):\n    \"\"\"Doc.\"\"\"\n\n    def _helper(self, x):\n        pass\n\n    def run(\n        self,\n        name: str,\n        sizes=(1, 2),  # comment, with comma\n        flavor={\"a\": 1},\n    ) -> None:\n        pass\n", "name? sizes flavor"},
		{"\nclass A(Base):\n    pass\n\nclass B(object):\n    def run(self, x):\n        pass\n", "nil"},
		{"\nclass A(Base):\n    def run(self):\n        pass\n", ""},
	} {
		sig := runSignature([]byte(c.src))
		got := "nil"
		if sig != nil {
			got = ""
			for _, p := range sig.Params {
				if got != "" {
					got += " "
				}
				got += p.Name
				if p.Required {
					got += "?"
				}
			}
			if sig.Kwargs {
				got += " **"
			}
		}
		if got != c.want {
			t.Errorf("runSignature(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

func FuzzRunSignature(f *testing.F) {
	f.Add([]byte("\nclass A(B):\n    def run(self, a, b=(1,'x,y'), **k):\n        pass\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		runSignature(b)
		splitParams(string(b))
	})
}
