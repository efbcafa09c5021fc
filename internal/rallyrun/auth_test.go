package rallyrun

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	satomic "sync/atomic"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
	"time"
)

// spec decodes the "openstack" part of a Rally env spec.
func specOf(t *testing.T, environ []string, insecure bool) map[string]any {
	t.Helper()
	b, err := SpecFromEnviron(environ, insecure)
	if err != nil {
		t.Fatalf("%v: %v", environ, err)
	}
	var s struct {
		OpenStack map[string]any `json:"openstack"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s.OpenStack
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TLS settings reach the spec the way rally env create --from-sysenv puts
// them (rally-openstack's existing@openstack): OS_CACERT, OS_CERT, OS_KEY,
// OS_INSECURE with oslo's bool strings, and --insecure.
func TestSpecTLS(t *testing.T) {
	base := []string{"OS_AUTH_URL=https://k:5000/v3", "OS_USERNAME=admin", "OS_PASSWORD=p", "OS_PROJECT_NAME=admin"}
	s := specOf(t, append(base, "OS_CACERT=/etc/ssl/ca.pem", "OS_CERT=/c.pem", "OS_KEY=/k.pem", "OS_INSECURE=yes"), false)
	if s["https_cacert"] != "/etc/ssl/ca.pem" || s["https_cert"] != "/c.pem" || s["https_key"] != "/k.pem" || s["https_insecure"] != true {
		t.Errorf("TLS from OS_*: %v", s)
	}
	if s := specOf(t, base, false); s["https_insecure"] != false || s["https_cacert"] != nil {
		t.Errorf("no TLS settings: %v", s)
	}
	if s := specOf(t, base, true); s["https_insecure"] != true {
		t.Errorf("--insecure: %v", s)
	}
	// OS_ENDPOINT_TYPE wins over OS_INTERFACE; "publicURL" is "public".
	if s := specOf(t, append(base, "OS_INTERFACE=internal", "OS_ENDPOINT_TYPE=publicURL"), false); s["endpoint_type"] != "public" {
		t.Errorf("endpoint type: %v", s["endpoint_type"])
	}
}

// Application credentials: Rally's env spec (rally-openstack's
// existing@openstack, master included) has no place for them — a user is
// username + password. rallyforge says so before any cloud contact,
// instead of letting Rally fail on a missing password.
func TestApplicationCredentials(t *testing.T) {
	for _, env := range [][]string{
		{"OS_AUTH_URL=https://k/v3", "OS_AUTH_TYPE=v3applicationcredential", "OS_APPLICATION_CREDENTIAL_ID=id", "OS_APPLICATION_CREDENTIAL_SECRET=s"},
		{"OS_AUTH_URL=https://k/v3", "OS_APPLICATION_CREDENTIAL_NAME=n", "OS_USERNAME=u", "OS_APPLICATION_CREDENTIAL_SECRET=s"},
	} {
		_, err := SpecFromEnviron(env, false)
		var e *Error
		if !errors.As(err, &e) || e.Kind != Invalid || !strings.Contains(e.Msg, "application credential") {
			t.Errorf("%v: %v", env, err)
		}
	}
	// From clouds.yaml, too.
	f := filepath.Join(t.TempDir(), "clouds.yaml")
	write(t, f, "clouds:\n  ac:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: https://k/v3\n      application_credential_id: id\n      application_credential_secret: s\n")
	env, err := CloudEnviron("ac", []string{"OS_CLIENT_CONFIG_FILE=" + f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SpecFromEnviron(env, false); err == nil || !strings.Contains(err.Error(), "application credential") {
		t.Errorf("clouds.yaml application credential: %v", err)
	}
}

// clouds.yaml is found where openstacksdk looks (OS_CLIENT_CONFIG_FILE,
// the current folder, $XDG_CONFIG_HOME/openstack, ~/.config/openstack,
// /etc/openstack; .yaml, .yml, .json), the first file found is the one
// read, secure.yaml (found the same way, or OS_CLIENT_SECURE_FILE) is
// merged into it, OS_CLOUD names the cloud, and the OS_* variables of the
// shell do not leak into a named cloud.
func TestCloudsSearchPathAndSecure(t *testing.T) {
	home, xdg := t.TempDir(), t.TempDir()
	write(t, filepath.Join(home, ".config", "openstack", "clouds.yaml"),
		"clouds:\n  lab:\n    auth:\n      auth_url: http://home/v3\n      username: admin\n      project_name: admin\n    region_name: R1\n    verify: false\n")
	write(t, filepath.Join(home, ".config", "openstack", "secure.yaml"), "clouds:\n  lab:\n    auth:\n      password: secret\n")
	base := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(xdg, "none"), "OS_CACERT=/leak.pem", "OS_PASSWORD=leak"}
	env, err := CloudEnviron("lab", base)
	if err != nil {
		t.Fatal(err)
	}
	s := specOf(t, env, false)
	admin, _ := s["admin"].(map[string]any)
	if s["auth_url"] != "http://home/v3" || admin["password"] != "secret" || s["region_name"] != "R1" || s["https_insecure"] != true || s["https_cacert"] != nil {
		t.Errorf("~/.config/openstack + secure.yaml: %v", s)
	}
	// $XDG_CONFIG_HOME/openstack comes before ~/.config/openstack; JSON too.
	write(t, filepath.Join(xdg, "openstack", "clouds.json"), `{"clouds": {"lab": {"auth": {"auth_url": "http://xdg/v3", "username": "u", "password": "p", "project_name": "p"}, "cacert": "/ca.pem"}}}`)
	env, err = CloudEnviron("lab", append(base, "XDG_CONFIG_HOME="+xdg))
	if err != nil {
		t.Fatal(err)
	}
	if s := specOf(t, env, false); s["auth_url"] != "http://xdg/v3" || s["https_cacert"] != "/ca.pem" {
		t.Errorf("XDG_CONFIG_HOME: %v", s)
	}
	// OS_CLIENT_SECURE_FILE overrides the secure file.
	sec := filepath.Join(t.TempDir(), "s.yaml")
	write(t, sec, "clouds:\n  lab:\n    auth:\n      password: other\n")
	env, _ = CloudEnviron("lab", append(base, "OS_CLIENT_SECURE_FILE="+sec))
	if a, _ := specOf(t, env, false)["admin"].(map[string]any); a["password"] != "other" {
		t.Errorf("OS_CLIENT_SECURE_FILE: %v", a)
	}
	// OS_CLOUD picks the cloud when --cloud is not given.
	name, ok := CloudName("", append(base, "OS_CLOUD=lab"))
	if !ok || name != "lab" {
		t.Errorf("OS_CLOUD: %q %v", name, ok)
	}
	if name, _ := CloudName("x", append(base, "OS_CLOUD=lab")); name != "x" {
		t.Errorf("--cloud over OS_CLOUD: %q", name)
	}
	if _, ok := CloudName("", base); ok {
		t.Error("no cloud named, yet one is chosen")
	}
}

// A task lint rejects stops the run before Rally or the cloud is asked
// anything: exit 2 with lint's finding (file:line:column), no rally call,
// no connection to OS_AUTH_URL.
func TestLintBeforeCloud(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns satomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	bin := t.TempDir()
	called := filepath.Join(t.TempDir(), "called")
	write(t, filepath.Join(bin, "rally"), "#!/bin/sh\necho \"$@\" >> "+called+"\nexit 1\n")
	os.Chmod(filepath.Join(bin, "rally"), 0o755)
	task := filepath.Join(t.TempDir(), "task.yaml")
	write(t, task, "---\nversion: 2\ntitle: t\nsubtasks:\n- title: a\n  scenario:\n    Authenticate.no_such_thing: {}\n  runner:\n    constant: {times: 1}\n")
	_, err = Run(context.Background(), Options{Task: task, StateDir: t.TempDir(), Environ: []string{
		"PATH=" + bin, "OS_AUTH_URL=http://" + l.Addr().String() + "/v3", "OS_USERNAME=a", "OS_PASSWORD=p", "OS_PROJECT_NAME=a"}})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Invalid || !strings.Contains(e.Msg, task+":7:5:") || !strings.Contains(e.Msg, "Authenticate.no_such_thing") {
		t.Errorf("got %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the cloud", n)
	}
	if b, err := os.ReadFile(called); err == nil {
		t.Errorf("rally was called: %s", b)
	}
}

// The specs made from every way of giving the cloud are accepted by the
// real rally-openstack's existing@openstack platform schema (what rally env
// create checks first), TLS and existing users included.
func TestSpecAcceptedByRally(t *testing.T) {
	testcorpus.Long(t)
	base := []string{"OS_AUTH_URL=https://k:5000/v3", "OS_USERNAME=admin", "OS_PASSWORD=p", "OS_PROJECT_NAME=admin"}
	f := filepath.Join(t.TempDir(), "clouds.yaml")
	write(t, f, "clouds:\n  lab:\n    auth: {auth_url: 'https://k/v3', username: u, password: p, project_name: p, user_domain_name: D}\n    cacert: /ca.pem\n    verify: false\n    region_name: R\n    interface: internal\n")
	cloud, err := CloudEnviron("lab", []string{"OS_CLIENT_CONFIG_FILE=" + f})
	if err != nil {
		t.Fatal(err)
	}
	var specs []string
	for _, c := range []struct {
		env      []string
		insecure bool
	}{
		{base, false},
		{append(base, "OS_CACERT=/ca.pem", "OS_CERT=/c.pem", "OS_KEY=/k.pem", "OS_INSECURE=1", "OS_ENDPOINT_TYPE=adminURL"), false},
		{append(base, "RALLYFORGE_USER_USERNAME=r", "RALLYFORGE_USER_PASSWORD=r", "RALLYFORGE_USER_PROJECT_NAME=r"), true},
		{cloud, false},
	} {
		b, err := SpecFromEnviron(c.env, c.insecure)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, string(b))
	}
	in, _ := json.Marshal(specs)
	cmd := exec.Command("/usr/bin/python3", "-c", `import json, sys, jsonschema
from rally_openstack.environment.platforms.existing import OpenStack
for s in json.load(sys.stdin):
    try:
        jsonschema.validate(json.loads(s)["openstack"], OpenStack.CONFIG_SCHEMA)
        print("ok")
    except jsonschema.ValidationError as e:
        print("invalid: " + e.message)
`)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rally-openstack's schema (apt-get install -y python3-rally-openstack): %v\n%s", err, out)
	}
	got := strings.Fields(strings.TrimSpace(string(out)))
	if len(got) != len(specs) {
		t.Fatalf("python: %s", out)
	}
	for i, g := range got {
		if g != "ok" {
			t.Errorf("spec %d refused by Rally's schema: %s\n%s", i, out, specs[i])
		}
	}
}
