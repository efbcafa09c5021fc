package plugingen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
	for rel, body := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
