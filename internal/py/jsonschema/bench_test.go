package jsonschema

import (
	"testing"

	"github.com/rallyforge/rallyforge/internal/catalog"
)

// go test -run '^$' -bench . -benchmem ./internal/py/jsonschema

func BenchmarkValidateUsersValid(b *testing.B) {
	s := usersSchema(b)
	v := map[string]any{"tenants": int64(2), "users_per_tenant": int64(3), "user_choice_method": "round_robin"}
	if errs := s.Validate(v); errs != nil {
		b.Fatal(dump(errs))
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Validate(v)
	}
}

func BenchmarkValidateUsersInvalid(b *testing.B) {
	s := usersSchema(b)
	v := map[string]any{"tenants": int64(0), "users_per_tenant": 1.0, "bogus": true}
	if errs := s.Validate(v); len(errs) != 1 || len(errs[0].Causes) != 2 {
		b.Fatal(dump(errs))
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Validate(v)
	}
}

func BenchmarkCompileUsers(b *testing.B) {
	p, _ := catalog.MustLoad().Context("users")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(p.Schema); err != nil {
			b.Fatal(err)
		}
	}
}

// All 54 plugin schemas: the most a lint run could ever compile.
func BenchmarkCompileCatalog(b *testing.B) {
	cat := catalog.MustLoad()
	var raws [][]byte
	for _, l := range [][]catalog.Plugin{cat.Contexts, cat.Runners, cat.SLAs, cat.HookActions, cat.HookTriggers} {
		for _, p := range l {
			if len(p.Schema) > 0 {
				raws = append(raws, p.Schema)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			if _, err := Compile(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// The first Compile of a draft in a process also compiles that draft's
// metaschema (kept for the process): what a lint run pays once.
func BenchmarkMetaschemaFirstUse(b *testing.B) {
	for _, d := range []draft{draft4, draft7, draft2020} {
		b.Run(d.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				metas[d] = metaEntry{}
				if _, err := metaschema(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
