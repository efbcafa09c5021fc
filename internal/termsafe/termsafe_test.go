package termsafe

import (
	"strings"
	"testing"
)

func TestNothingRawReachesTheTerminal(t *testing.T) {
	for _, s := range []string{"\x1b[2J", "\x1b]0;pwned\x07", "a\nb", "\r", "\x9b31m", "\u202etxt.exe", "\xff\xfe", "\x00", "\x7f"} {
		got := Line(s)
		for _, r := range got {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x202e || r == 0xfffd {
				t.Errorf("Line(%q) = %q keeps %U", s, got, r)
			}
		}
	}
	if got := Text("a\n\tb\x1b"); got != "a\n\tb\\x1b" {
		t.Errorf("Text: %q", got)
	}
	for _, s := range []string{"plain", "ünïcode €", "tab-free line"} {
		if Line(s) != s {
			t.Errorf("%q changed to %q", s, Line(s))
		}
	}
	if !strings.Contains(Line("\x1b[31m"), `\x1b`) {
		t.Error("ESC not shown as \\x1b")
	}
}

func TestMarkdown(t *testing.T) {
	cases := map[string]string{
		"Nova.boot":   "`Nova.boot`",
		"a|b":         "`a\\|b`",
		"x`y":         "``x`y``",
		"`start":      "`` `start ``",
		"\x1b[31mred": "`\\x1b[31mred`",
	}
	for in, want := range cases {
		if got := MarkdownCode(in); got != want {
			t.Errorf("MarkdownCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MarkdownText("<img src=x onerror=alert(1)> [link](http://e) *b* | c\nd"); got != `\<img src=x onerror=alert(1)\> \[link\](http://e) \*b\* \| c d` {
		t.Errorf("MarkdownText: %q", got)
	}
}
