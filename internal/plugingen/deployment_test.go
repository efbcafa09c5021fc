package plugingen

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// kegsRef: a keg names the tap it is served from, an object the keg's
// create does not detail; the API's pour documents the tap's fields as
// optional, and its sample names the tap's version differently ("5.7")
// from the keg's sample ("ale-5.7"): a version is what a deployment
// registers, not a value of the API (trove's datastore version in its
// configuration and instance samples).
const kegsRef = `Create keg
==========

.. rest_method:: POST /v1/kegs

.. rest_parameters:: parameters.yaml

   - name: name
   - tap: tap

.. literalinclude:: samples/keg-create.json

Normal response codes: 200

List kegs
=========

.. rest_method:: GET /v1/kegs

Normal response codes: 200

Delete keg
==========

.. rest_method:: DELETE /v1/kegs/{keg_id}

.. rest_parameters:: parameters.yaml

   - keg_id: keg_id

Normal response codes: 202

Pour
====

.. rest_method:: POST /v1/pours

.. rest_parameters:: parameters.yaml

   - tap: tap_optional
   - tap.type: tap_type
   - tap.version: tap_version

.. literalinclude:: samples/pour.json

Normal response codes: 204
`

const kegsParams = `name:
  in: body
  required: true
  type: string
  description: The name.
tap:
  in: body
  required: true
  type: object
  description: The tap. Required if no default tap is configured.
tap_optional:
  in: body
  required: false
  type: object
  description: The tap.
tap_type:
  in: body
  required: false
  type: string
  description: The type of a tap.
tap_version:
  in: body
  required: false
  type: string
  description: The version of a tap.
keg_id:
  in: path
  required: true
  type: string
  description: The keg.
`

// TestDeploymentValuesLeftOut: inside an object a create does not
// detail, an optional field whose sample value another sample of the same
// reference spells differently is the deployment's (a version it
// registered), not the API's: it is left out and the server's default
// applies; the field the samples agree on stays.
func TestDeploymentValuesLeftOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kegs")
	files := map[string]string{
		"setup.cfg":                              "[metadata]\nname = kegs\n",
		"api-ref/source/index.rst":               ".. include:: kegs.inc\n",
		"api-ref/source/kegs.inc":                kegsRef,
		"api-ref/source/parameters.yaml":         kegsParams,
		"api-ref/source/samples/keg-create.json": `{"keg": {"name": "k1", "tap": {"type": "ale", "version": "ale-5.7"}}}`,
		"api-ref/source/samples/pour.json":       `{"pour": {"tap": {"type": "ale", "version": "5.7"}}}`,
	}
	writeTree(t, dir, files)
	p, err := Build(dir, "kegs", "rating")
	if err != nil {
		t.Fatal(err)
	}
	var body any
	for _, r := range p.Resources {
		if r.Name == "keg" && r.Create != nil {
			body = r.Create.Body
		}
	}
	if body == nil {
		t.Fatalf("kegs cannot be created: %+v", p.Skipped)
	}
	tap, _ := json.Marshal(body.(map[string]any)["keg"].(map[string]any)["tap"])
	if string(tap) != `{"type":"ale"}` {
		t.Errorf("keg's tap %s, want the type the samples agree on, without the deployment's version", tap)
	}
}
