package plugingen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/rallyforge/rallyforge/internal/apiref"
	"github.com/rallyforge/rallyforge/internal/catalog"
)

// Existing is a value a create takes from another service's listing: the
// reference says the field must name an object that service already has
// (masakari: "Host name should be equal to nova-compute host name from
// nova service list"). A made-up name would be refused every time.
type Existing struct {
	Key    string `json:"key"`    // the body field
	Param  string `json:"param"`  // python name of the value ("nova_compute_host")
	Client string `json:"client"` // Rally's client of that service ("nova")
	// Collection is the client's manager the sentence names by its CLI
	// spelling ("service list": services.list()), Binary the entries'
	// binary when the sentence qualifies them with one ("nova-compute"),
	// Attr the attribute that is the name ("host").
	Collection string `json:"collection"`
	Binary     string `json:"binary,omitempty"`
	Attr       string `json:"attr"`
	// Validated: Rally's required_services validator knows the client's
	// name (some rally-openstack scenario requires it), so scenarios
	// declare it.
	Validated bool   `json:"validated,omitempty"`
	Source    string `json:"source"` // the reference's sentence
}

// Method is the scenario method that finds the value.
func (e Existing) Method() string { return "_existing_" + e.Param }

// existingRe reads "<field> name should be equal to [the] [<binary>]
// <attr> name from <project> <collection> list": the reference's way of
// saying a name must be one another service already lists.
var existingRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b([a-z_]+ )?name (?:should|must|shall|has to|needs to) (?:be )?(?:equal to|match|the same as|identical to) (?:the |an? )?([a-z0-9_-]+ )?([a-z_]+) name (?:from|in|of) (?:the )?([a-z0-9_-]+)(?:'s)? ([a-z_-]+) list\b`)
})

// existing finds the fields of a create body that must name an object of
// another service, and makes the body take each from a parameter of that
// name. why says why the body cannot be built (the service has no client
// in Rally to list it with).
func existing(op *apiref.Op, resource string, body any) ([]Existing, string) {
	texts := []string{op.Prose}
	for _, x := range op.Request {
		if x.In == "body" {
			texts = append(texts, x.Description)
		}
	}
	var out []Existing
	for _, text := range texts {
		for _, m := range existingRe().FindAllStringSubmatch(text, -1) {
			field := strings.ToLower(strings.TrimSpace(m[1]))
			var keys []string
			if field == "" || apiref.Singular(apiref.Snake(field)) == resource || field == "the" {
				keys = []string{"name", "display_name"}
			} else {
				keys = []string{apiref.Snake(field) + "_name", apiref.Snake(field)}
			}
			key := ""
			for _, k := range keys {
				if bodyKeys(body)[k] {
					key = k
					break
				}
			}
			if key == "" || slices.ContainsFunc(out, func(e Existing) bool { return e.Key == key }) {
				continue // not sent: nothing to fill
			}
			client := strings.ToLower(m[4])
			e := Existing{Key: key, Client: client, Attr: apiref.Snake(m[3]),
				Collection: plural(apiref.Snake(m[5])), Source: strings.TrimSpace(m[0])}
			// A service's own binaries are "<project>-<service>".
			if q := strings.ToLower(strings.TrimSpace(m[2])); strings.HasPrefix(q, client+"-") {
				e.Binary = q
			}
			if !rallyClient(client) {
				return nil, fmt.Sprintf("%q must be a %s of %q's %s list (%q), which Rally has no client for",
					key, m[3], client, m[5], e.Source)
			}
			e.Validated = requirable(client)
			who := client
			if e.Binary != "" {
				who = e.Binary
			}
			e.Param = pyName(apiref.Snake(who) + "_" + e.Attr)
			setRef(body, key, e.Param)
			out = append(out, e)
		}
	}
	return out, ""
}

// setRef makes every key field of body the value of param.
func setRef(body any, key, param string) {
	switch x := body.(type) {
	case map[string]any:
		for k, v := range x {
			if k == key {
				x[k] = parentRef{param}
				continue
			}
			setRef(v, key, param)
		}
	case []any:
		for _, v := range x {
			setRef(v, key, param)
		}
	}
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"):
		return s
	case strings.HasSuffix(s, "y"):
		return strings.TrimSuffix(s, "y") + "ies"
	}
	return s + "s"
}

// rallyClient: Rally has an OpenStack client plugin of that name
// (self.admin_clients(name)).
func rallyClient(name string) bool {
	for _, c := range catalog.MustLoad().Clients {
		if c.Name == name && c.DefaultServiceType != "" {
			return true
		}
	}
	return false
}

// requirable: some rally-openstack scenario declares
// required_services with that name, so Rally's validator knows it.
func requirable(name string) bool {
	for _, s := range catalog.MustLoad().Scenarios {
		for _, v := range s.Validators {
			if v.Name != "required_services" {
				continue
			}
			if l, ok := v.Args.Get("services").([]any); ok && slices.Contains(l, any(name)) {
				return true
			}
		}
	}
	return false
}
