package main

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/baseline"
	"github.com/rallyforge/rallyforge/internal/catalog"
	"github.com/rallyforge/rallyforge/internal/compare"
	"github.com/rallyforge/rallyforge/internal/detect"
	"github.com/rallyforge/rallyforge/internal/history"
	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/plugingen"
	"github.com/rallyforge/rallyforge/internal/rallyrun"
	"github.com/rallyforge/rallyforge/internal/scaffold"
	"github.com/rallyforge/rallyforge/internal/stats"
)

// Every JSON field name any command prints is snake_case: each struct
// field reachable from the values the commands encode has a snake_case
// json name or is left out. (Keys of maps are data: scenario names,
// error types, Rally's "90%ile".) A field without a tag would print its Go
// name, as compare's options once did ("Threshold", "Alpha").
func TestJSONFieldNamesSnakeCase(t *testing.T) {
	roots := []any{
		[]*detect.Result{}, scaffold.Result{}, scaffold.Change{}, plugingen.Suite{}, lint.Finding{},
		[]*stats.File{}, compare.Result{}, history.Point{}, history.Run{}, rallyrun.Result{},
		baseline.Result{}, catalog.Scenario{}, catalog.Plugin{},
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	marshaler := reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		custom := func(t reflect.Type) bool {
			return t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler)
		}
		for !custom(typ) && (typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map) {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || custom(typ) {
			return
		}
		seen[typ] = true
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" && tag == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				walk(f.Type, path)
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !snake.MatchString(name) {
				t.Errorf("%s.%s (%s): JSON name %q is not snake_case", path, f.Name, typ, name)
			}
			walk(f.Type, path+"."+name)
		}
	}
	for _, r := range roots {
		walk(reflect.TypeOf(r), reflect.TypeOf(r).String())
	}
	if len(seen) < 20 {
		t.Errorf("only %d struct types walked", len(seen))
	}
}
