package catalog

import _ "embed"

// catalogJSON is the generator's output; the binary uses catalog_data.go.
//
//go:embed catalog.json
var catalogJSON []byte
