package plugingen

import (
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/apiref"
)

func body(p ...apiref.Param) []apiref.Param { return p }

func req(name string) apiref.Param {
	return apiref.Param{Name: name, In: "body", Required: true, Type: "string"}
}

func TestDeriveBody(t *testing.T) {
	opt := apiref.Param{Name: "description", In: "body", Type: "string"}
	cases := []struct {
		name   string
		op     apiref.Op
		want   string // pyValue of the body, or the reason's prefix after "!"
		reason string
	}{
		{"wrapper kept, optional dropped, name random",
			apiref.Op{Request: body(req("name"), opt, req("kind")),
				RequestSample: map[string]any{"thing": map[string]any{"name": "x", "description": "d", "kind": "COMPUTE"}}},
			`{"thing": {"kind": "COMPUTE","name": self.generate_random_name(),},}`, ""},
		{"upper-case naming convention kept",
			apiref.Op{Request: body(req("name")), RequestSample: map[string]any{"name": "CUSTOM_FPGA"}},
			`{"name": "CUSTOM_" + self.generate_random_name().upper(),}`, ""},
		{"reference to another resource",
			apiref.Op{Request: body(req("name"), req("network_id")),
				RequestSample: map[string]any{"name": "n", "network_id": "x"}},
			"", `required "network_id" refers to another resource`},
		{"uuid value",
			apiref.Op{Request: body(req("target")), RequestSample: map[string]any{"target": "7d2590ae-fb85-4080-9306-058b4c915e3f"}},
			"", `required "target" refers`},
		{"points in time: now, the sample's distances kept",
			apiref.Op{Request: body(req("start"), req("end")), RequestSample: map[string]any{"start": "2017-12-26 12:00", "end": "2017-12-27 12:00"}},
			`{"end": _at(86400, "%Y-%m-%d %H:%M"),"start": _at(0, "%Y-%m-%d %H:%M"),}`, ""},
		{"ISO time with fraction and zone",
			apiref.Op{Request: body(req("startsAt")), RequestSample: map[string]any{"startsAt": "2022-06-21T23:47:36.453Z"}},
			`{"startsAt": _at(0, "%Y-%m-%dT%H:%M:%S.%fZ"),}`, ""},
		{"unparsable time",
			apiref.Op{Request: body(req("start")), RequestSample: map[string]any{"start": "2017-12-26 soon"}},
			"", `required "start" is a point in time`},
		{"required missing from the sample",
			apiref.Op{Request: body(req("name"), req("size")), RequestSample: map[string]any{"name": "n"}},
			"", `required "size" is not in the request sample`},
		{"no sample, name only",
			apiref.Op{Request: body(req("name"))},
			`{"name": self.generate_random_name(),}`, ""},
		{"no sample, other required",
			apiref.Op{Request: body(req("template"))},
			"", `no request sample, and required "template" cannot be invented`},
		{"child of an optional parent is not required",
			apiref.Op{Request: body(req("name"), apiref.Param{Name: "users", In: "body"}, req("users.name")),
				RequestSample: map[string]any{"name": "n"}},
			`{"name": self.generate_random_name(),}`, ""},
		{"undefined parameter",
			apiref.Op{Request: body(req("name"), apiref.Param{Name: "ghost"}), RequestSample: map[string]any{"name": "n"}},
			"", `parameter "ghost" is not defined`},
		// Parameters the reference lists without defining (its
		// parameters file is generated when its docs are built): the
		// sample decides. One it fills is sent as the sample has it; the
		// children of an object the sample fills are that object's.
		{"undefined parameter the sample fills",
			apiref.Op{Request: body(req("name"), apiref.Param{Name: "tag"}), RequestSample: map[string]any{"name": "n", "tag": float64(20)}},
			`{"name": self.generate_random_name(),"tag": 20,}`, ""},
		{"undefined children of an object the sample fills",
			apiref.Op{Request: body(req("schedule"), apiref.Param{Name: "schedule.event"}, apiref.Param{Name: "schedule.time_created"}),
				RequestSample: map[string]any{"schedule": map[string]any{"event": "start", "status": "scheduled"}}},
			`{"schedule": {"event": "start","status": "scheduled",},}`, ""},
		{"undefined children of the items of a list the sample fills",
			apiref.Op{Request: body(req("actions"), apiref.Param{Name: "actions.retries"}),
				RequestSample: map[string]any{"actions": []any{map[string]any{"retries": float64(5)}}, "retries": float64(1)}},
			`{"actions": [{"retries": 5,},],}`, ""},
		{"undefined child the sample puts elsewhere",
			apiref.Op{Request: body(apiref.Param{Name: "client"}, apiref.Param{Name: "client.client_id"}, apiref.Param{Name: "client.hostname"}),
				RequestSample: map[string]any{"client": map[string]any{"hostname": "h"}, "client_id": "c1"}},
			"", `the request sample puts "client_id" outside "client", where the reference lists it`},
		{"undefined child of an undefined parent the sample lacks",
			apiref.Op{Request: body(req("name"), apiref.Param{Name: "extra.x"}), RequestSample: map[string]any{"name": "n"}},
			"", `parameter "extra.x" is not defined`},
		// A request documented only by its sample (its fields listed
		// as response parameters, none for the request): the sample is
		// the body, not {} (freezer answered 400).
		{"request documented only by its sample",
			apiref.Op{Request: body(apiref.Param{Name: "action_id", In: "path", Required: true}),
				RequestSample: map[string]any{"freezer_action": map[string]any{"action": "backup"}, "max_retries": float64(5)}},
			`{"freezer_action": {"action": "backup",},"max_retries": 5,}`, ""},
		{"required query parameter",
			apiref.Op{Request: body(apiref.Param{Name: "q", In: "query", Required: true})},
			"", `required query parameter "q"`},
	}
	flat := func(s string) string {
		return strings.NewReplacer("\n", "", "    ", "").Replace(s)
	}
	for _, c := range cases {
		b, _, why := deriveBody(&c.op, nil)
		switch {
		case c.reason != "" && !strings.HasPrefix(why, c.reason):
			t.Errorf("%s: reason %q, want %q", c.name, why, c.reason)
		case c.reason == "" && why != "":
			t.Errorf("%s: not derived: %s", c.name, why)
		case c.reason == "" && flat(pyValue(b, "")) != c.want:
			t.Errorf("%s: body %s, want %s", c.name, flat(pyValue(b, "")), c.want)
		}
	}
}

func TestPyPath(t *testing.T) {
	if got := pyPath("/v2/{tenant_id}/jobs/{job_id}"); got != "/v2/{project_id}/jobs/{job_id}" {
		t.Error(got)
	}
}

func TestWrapLongPath(t *testing.T) {
	long := "GET /v2.0/security-groups-default-statefulness/{security_groups_default_statefulness_id}/rules/{rule_id}."
	for _, l := range strings.Split(wrap("Show a rule: "+long, "        "), "\n") {
		if len(l) > 79 {
			t.Errorf("line of %d columns: %q", len(l), l)
		}
	}
	if got := pyStr(strings.Repeat("abcdefgh/", 12), 12); !strings.Contains(got, "\n") {
		t.Errorf("long string not split: %s", got)
	}
}
