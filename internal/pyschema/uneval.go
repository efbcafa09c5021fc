package pyschema

import "fmt"

type uneval struct{}

func (c *compiler) compileUneval(o *op, n *node, d draft, scope string) error {
	return fmt.Errorf("%s/%s: not supported", c.at(n), keywordName[o.kind])
}

func (o *op) unevaluated(v any, k kind, st *state) bool { return true }
