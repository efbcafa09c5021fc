package plugingen

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/apiref"
)

// sessionsRef is shaped like freezer-api's sessions: created
// synchronously (201, only the id answered), whose representation has a
// status only inside a nested object (the schedule's), and whose
// parameters file is not shipped (generated when the docs are built) but
// its hand-written part is.
const sessionsRef = `Create session
==============

.. rest_method:: POST /v2/{project_id}/sessions

Normal response codes: 201

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - description: session_description
  - session_tag: session_tag
  - schedule: session_schedule
  - schedule.status: schedule.status
  - schedule.time_created: schedule.time_created

.. literalinclude:: samples/session-create-request.json

Response
--------

.. rest_parameters:: parameters.yaml

  - session_id: session_id

.. literalinclude:: samples/session-create-response.json

Show session
============

.. rest_method:: GET /v2/{project_id}/sessions/{session_id}

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - session_id: session_id_path

Response
--------

.. rest_parameters:: parameters.yaml

  - session_id: session_id
  - schedule: session_schedule
  - schedule.status: schedule.status

.. literalinclude:: samples/session-get-response.json

Updates sessions(v2)
====================

.. rest_method:: POST /v2/{project_id}/sessions/{session_id}

Normal response codes: 201

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - session_id: session_id_path
  - description: session_description
  - schedule: session_schedule

.. literalinclude:: samples/session-create-request.json

Start session
=============

.. rest_method:: POST /v2/{project_id}/sessions/{session_id}/actions

Normal response codes: 202

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - session_id: session_id_path

List actions
============

.. rest_method:: GET /v2/{project_id}/actions

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path

Delete session
==============

.. rest_method:: DELETE /v2/{project_id}/sessions/{session_id}

Normal response codes: 204

.. rest_parameters:: parameters.yaml

  - project_id: project_id_path
  - session_id: session_id_path
`

func sessionsFixture(t *testing.T) *Suite {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sessions")
	files := map[string]string{
		"setup.cfg":                   "[metadata]\nname = sessions\n",
		"api-ref/source/index.rst":    ".. include:: sessions.inc\n",
		"api-ref/source/sessions.inc": sessionsRef,
		// Every path parameter "in: query", as freezer's are.
		"api-ref/source/parameters-manual.yaml": "project_id_path:\n  in: query\n  required: true\n  type: string\n" +
			"session_id_path:\n  in: query\n  required: true\n  type: string\n" +
			"session_id:\n  in: body\n  required: true\n  type: string\n" +
			"session_description:\n  in: body\n  required: true\n  type: string\n" +
			"session_schedule:\n  in: body\n  required: true\n  type: object\n" +
			"status:\n  in: body\n  required: false\n  type: string\n  description: one of ``creating``, ``available``, ``error``.\n",
		"api-ref/source/samples/session-create-request.json":  `{"session_tag": 20, "description": "d", "schedule": {"status": "scheduled", "event": "start"}}`,
		"api-ref/source/samples/session-create-response.json": `{"session_id": "79eba555449d4cfe8ef66f34cb096295"}`,
		"api-ref/source/samples/session-get-response.json":    `{"session_id": "79eba555449d4cfe8ef66f34cb096295", "session_tag": 20, "schedule": {"status": "scheduled", "event": "start"}}`,
	}
	writeTree(t, dir, files)
	p, err := Build(dir, "sessions", "backup")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSessionsCreatableFromManualParameters: the create is derived from
// the hand-written parameters beside the missing generated file, its path
// parameters declared "in: query", and the sample for what is listed
// without a definition (session_tag, schedule.time_created).
func TestSessionsCreatableFromManualParameters(t *testing.T) {
	p := sessionsFixture(t)
	var names []string
	for _, s := range p.Scenarios {
		names = append(names, s.Name)
	}
	if !slices.Contains(names, "Sessions.create_and_delete_session") {
		t.Fatalf("scenarios %q, skipped %+v: want Sessions.create_and_delete_session", names, p.Skipped)
	}
}

// TestNoWaitOnANestedStatus: a status that is a field of a nested object
// (the schedule's), not of the resource, is not waited on: the waiter
// reads the resource's own field, which never comes (the run waited for
// its timeout on every iteration).
func TestNoWaitOnANestedStatus(t *testing.T) {
	p := sessionsFixture(t)
	for _, r := range p.Resources {
		if r.Name == "session" && r.Wait != nil {
			t.Errorf("session waits on %+v; its status is the schedule's", r.Wait)
		}
	}
}

// TestPostIntoASubCollectionIsNoAction: a POST to a session's "actions",
// a collection of this API, adds an action there (nothing in the
// reference deletes it from the session): not a verb on the session such
// as start or kill. No scenario; the plan says why.
func TestPostIntoASubCollectionIsNoAction(t *testing.T) {
	p := sessionsFixture(t)
	const path = "/v2/{project_id}/sessions/{session_id}/actions"
	for _, a := range p.Actions {
		if a.Path == path {
			t.Errorf("action scenario %s for POST %s", a.Name, path)
		}
	}
	if !slices.ContainsFunc(p.Skipped, func(s Skip) bool { return s.Path == path && strings.Contains(s.Reason, "collection of this API") }) {
		t.Errorf("skipped %+v: want POST %s with its reason", p.Skipped, path)
	}
}

// jobsRef: a job's representation names its client (client_id, a
// collection of this API), which the create request sample does not
// carry: the server requires it (freezer-api answers 400 "'client_id' is
// a required property"), and the reference does not say how a job is
// tied to a client.
const jobsRef = `Create job
==========

.. rest_method:: POST /v2/jobs

Normal response codes: 201

.. rest_parameters:: parameters.yaml

  - description: description

.. literalinclude:: samples/job-create-request.json

Response
--------

.. literalinclude:: samples/job-create-response.json

Show job
========

.. rest_method:: GET /v2/jobs/{job_id}

.. literalinclude:: samples/job-get-response.json

Delete job
==========

.. rest_method:: DELETE /v2/jobs/{job_id}

List clients
============

.. rest_method:: GET /v2/clients

.. literalinclude:: samples/clients-list-response.json

Create client
=============

.. rest_method:: POST /v2/clients

.. rest_parameters:: parameters.yaml

  - client: client

.. literalinclude:: samples/client-create-request.json

Delete client
=============

.. rest_method:: DELETE /v2/clients/{client_id}
`

func TestCreateLacksTheParentItsRepresentationNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jobs")
	files := map[string]string{
		"setup.cfg":                "[metadata]\nname = jobs\n",
		"api-ref/source/index.rst": ".. include:: jobs.inc\n",
		"api-ref/source/jobs.inc":  jobsRef,
		"api-ref/source/parameters.yaml": "description:\n  in: body\n  required: true\n  type: string\n" +
			"client:\n  in: body\n  required: true\n  type: object\n",
		"api-ref/source/samples/job-create-request.json":    `{"description": "nightly"}`,
		"api-ref/source/samples/job-create-response.json":   `{"job_id": "0ae284d514eb47dd84154748b5056749"}`,
		"api-ref/source/samples/job-get-response.json":      `{"job_id": "0ae284d514eb47dd84154748b5056749", "client_id": "c1_host", "project_id": "p1", "description": "nightly"}`,
		"api-ref/source/samples/clients-list-response.json": `{"clients": [{"client_id": "c1_host"}]}`,
		"api-ref/source/samples/client-create-request.json": `{"client": {"hostname": "h"}}`,
	}
	writeTree(t, dir, files)
	p, err := Build(dir, "jobs", "backup")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Resources {
		if r.Name == "job" && r.Create != nil {
			t.Errorf("job is created with %v; the server needs the client its representation names", r.Create.Body)
		}
	}
	if !slices.ContainsFunc(p.Skipped, func(s Skip) bool { return s.Path == "/v2/jobs" && strings.Contains(s.Reason, `"client_id"`) }) {
		t.Errorf("skipped %+v: want /v2/jobs with client_id in its reason", p.Skipped)
	}
	if !slices.ContainsFunc(p.Resources, func(r *Resource) bool { return r.Name == "client" && r.Create != nil }) {
		t.Errorf("client not creatable: %+v", p.Skipped)
	}
}

// TestNameInsideAnUndetailedObjectIsData: inside an object the reference
// does not detail (kept whole from the sample), a *_name field is the
// object's data (the name a freezer action gives the backup it makes),
// not a reference to a resource of this API by name; at the top level
// it still is one.
func TestNameInsideAnUndetailedObjectIsData(t *testing.T) {
	var asked []string
	resolve := func(key string) (string, string) {
		asked = append(asked, key)
		if refBase(key) == "backup" {
			return "backup", ""
		}
		return "", ""
	}
	op := apiref.Op{Request: body(req("freezer_action")),
		RequestSample: map[string]any{"freezer_action": map[string]any{"backup_name": "prod", "action": "backup"}}}
	b, _, why := deriveBody(&op, resolve)
	if why != "" {
		t.Fatalf("not derived: %s", why)
	}
	if got := pyValue(b, ""); !strings.Contains(got, `"backup_name": "prod"`) {
		t.Errorf("body %s: want the sample's backup_name", got)
	}
	// Data is not a dependency: asking would hold this resource's
	// verdict until the backup's is known (a cycle, when the backup
	// needs this one), and its reason would name the wrong cause.
	if len(asked) > 0 {
		t.Errorf("resolver asked about %q", asked)
	}
	top := apiref.Op{Request: body(req("backup_name")), RequestSample: map[string]any{"backup_name": "prod"}}
	if _, _, why := deriveBody(&top, resolve); !strings.Contains(why, "by its name") {
		t.Errorf("top-level backup_name: reason %q, want it named a resource by its name", why)
	}
}

// TestPostOnAMemberIsAnUpdate: a POST on a member's own path (freezer's
// "Updates actions": POST /v2/{project_id}/actions/{action_id}) replaces
// that member: an update scenario on what the plugin creates.
func TestPostOnAMemberIsAnUpdate(t *testing.T) {
	p := sessionsFixture(t)
	const path = "/v2/{project_id}/sessions/{session_id}"
	if !slices.ContainsFunc(p.Actions, func(a *Action) bool { return a.Path == path && a.Call.Verb == "POST" && a.On == "session" }) {
		t.Errorf("no update scenario for POST %s; skipped %+v", path, p.Skipped)
	}
	// Named as a method: "Updates sessions(v2)" on one session.
	if !slices.ContainsFunc(p.Actions, func(a *Action) bool { return a.Name == "update_session" }) {
		var names []string
		for _, a := range p.Actions {
			names = append(names, a.Name)
		}
		t.Errorf("actions %q, want update_session", names)
	}
}

// TestVerbUnderTwoMembersIsNoCollection: the same verb under the members
// of two collections (trove's instances/{id}/action and
// mgmt/instances/{id}/action, tacker's v1 and v2 instantiate) names no
// collection of the API: only a top-level collection that is listed is
// one.
func TestVerbUnderTwoMembersIsNoCollection(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "things")
	ref := ""
	for _, prefix := range []string{"/v1/things", "/v1/mgmt/things"} {
		ref += "Create\n======\n\n.. rest_method:: POST " + prefix + "\n\n" +
			"Delete\n======\n\n.. rest_method:: DELETE " + prefix + "/{thing_id}\n\n" +
			"Act\n===\n\n.. rest_method:: POST " + prefix + "/{thing_id}/action\n\nNormal response codes: 202\n\n"
	}
	files := map[string]string{
		"setup.cfg":                 "[metadata]\nname = things\n",
		"api-ref/source/index.rst":  ".. include:: things.inc\n",
		"api-ref/source/things.inc": ref,
	}
	writeTree(t, dir, files)
	p, err := Build(dir, "things", "thing")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Skipped {
		if strings.Contains(s.Reason, "collection of this API") {
			t.Errorf("%s: %s", s.Path, s.Reason)
		}
	}
}
