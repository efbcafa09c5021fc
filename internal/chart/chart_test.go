package chart

import (
	"fmt"
	"testing"
)

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		n      int
		factor float64
		want   string
	}{
		{0, 0.142, 5, 1000, "[{0 0} {0.05 50} {0.1 100} {0.15 150}]"},
		{0, 0.036, 4, 1000, "[{0 0} {0.01 10} {0.02 20} {0.03 30} {0.04 40}]"},
		{1, 100000, 5, 1, "[{0 0} {20000 20,000} {40000 40,000} {60000 60,000} {80000 80,000} {100000 100,000}]"},
		{0, 2.5, 5, 1, "[{0 0.0} {0.5 0.5} {1 1.0} {1.5 1.5} {2 2.0} {2.5 2.5}]"},
		{0, 7, 4, 1, "[{0 0} {2 2} {4 4} {6 6} {8 8}]"},
	} {
		if got := fmt.Sprint(Labels(Ticks(c.lo, c.hi, c.n), c.factor)); got != c.want {
			t.Errorf("Ticks(%v, %v, %d) = %s, want %s", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[string]string{"100000": "100,000", "12345.5": "12,345.5", "999": "999", "1000": "1000", "-20000": "-20,000", "1000000": "1,000,000"} {
		if got := Thousands(in); got != want {
			t.Errorf("Thousands(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestColorsStable(t *testing.T) {
	var c Colors
	a, b := c.Of("x"), c.Of("y")
	if a == b || c.Of("x") != a || a == Fail || b == Fail {
		t.Errorf("colours %s %s", a, b)
	}
}
