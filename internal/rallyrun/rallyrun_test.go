package rallyrun

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rallyforge/rallyforge/internal/testcorpus"
)

func TestSpecFromEnviron(t *testing.T) {
	base := []string{"OS_AUTH_URL=http://127.0.0.1:5000/v3", "OS_USERNAME=admin", "OS_PASSWORD=p",
		"OS_PROJECT_NAME=admin", "OS_REGION_NAME=RegionOne"}
	b, err := SpecFromEnviron(base, false)
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		OpenStack struct {
			AuthURL string           `json:"auth_url"`
			Admin   map[string]any   `json:"admin"`
			Users   []map[string]any `json:"users"`
		} `json:"openstack"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.OpenStack.AuthURL != "http://127.0.0.1:5000/v3" || spec.OpenStack.Admin["user_domain_name"] != "Default" || spec.OpenStack.Users != nil {
		t.Errorf("admin-only spec: %s", b)
	}
	b, err = SpecFromEnviron(append(base, "RALLYFORGE_USER_USERNAME=rally", "RALLYFORGE_USER_PASSWORD=r", "RALLYFORGE_USER_PROJECT_NAME=rally"), false)
	if err != nil || json.Unmarshal(b, &spec) != nil || len(spec.OpenStack.Users) != 1 || spec.OpenStack.Users[0]["username"] != "rally" {
		t.Errorf("existing-users spec: %v %s", err, b)
	}
	for _, env := range [][]string{base[1:], append(base, "RALLYFORGE_USER_USERNAME=rally")} {
		_, err := SpecFromEnviron(env, false)
		var e *Error
		if !errors.As(err, &e) || e.Kind != Invalid {
			t.Errorf("%v: want an Invalid error, got %v", env, err)
		}
	}
}

func TestRallyMissing(t *testing.T) {
	_, err := Run(context.Background(), Options{Task: "x.yaml", Environ: []string{"PATH=" + t.TempDir()}})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Invalid || !strings.Contains(e.Msg, InstallHint) {
		t.Errorf("got %v", err)
	}
}

// readReport on Rally's real JSON report (shared fixtures): nested atomics
// (glance_v2.create_image's children) are listed after their parent.
func TestReadReportSamples(t *testing.T) {
	dir := filepath.Join(testcorpus.SharedDir(t), "samples", "rally-results")
	cases := map[string]struct {
		pass    bool
		first   string
		atomics []string
	}{
		"keystone-basic.report.json": {true, "KeystoneBasic.create_user", []string{"keystone_v3.create_user"}},
		"glance-images.report.json": {true, "GlanceImages.create_and_list_image",
			[]string{"glance_v2.create_image", "glance_v2.get_image", "glance_v2.upload_data", "glance_v2.list_images"}},
		"placement-failures.report.json": {false, "PlacementCustom.create_list_delete_resource_provider", nil},
	}
	for f, want := range cases {
		var res Result
		if err := readReport(filepath.Join(dir, f), &res); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if res.PassSLA != want.pass || len(res.Workloads) == 0 || res.Workloads[0].Scenario != want.first {
			t.Errorf("%s: pass %v, workloads %+v", f, res.PassSLA, res.Workloads)
			continue
		}
		if want.atomics != nil && !slices.Equal(res.Workloads[0].Atomics, want.atomics) {
			t.Errorf("%s: atomics %q, want %q", f, res.Workloads[0].Atomics, want.atomics)
		}
	}
}

func TestReasons(t *testing.T) {
	sla := "[-] Loading plugins from directories x\n[{\"criterion\": \"failure_rate\"}]\n"
	if got := jsonPart(sla); !strings.HasPrefix(got, "[{") {
		t.Errorf("jsonPart: %q", got)
	}
	check := "Env `x' :-(\n+---+\n| :-(       | openstack | Failed to authenticate to http://h/v3 for user 'admin' in project 'admin': no. |\n+---+\n"
	if got := checkReason(check); !strings.HasPrefix(got, "Failed to authenticate to http://h/v3 for user 'admin'") {
		t.Errorf("checkReason: %q", got)
	}
	inv := "Input task is invalid!\n\nSubtask X[0] has wrong configuration\n\nReason(s):\n There is no Scenario plugin `X` in any platform.\n"
	if got := rallyReason(inv, ""); got != "Rally rejects it: There is no Scenario plugin `X` in any platform." {
		t.Errorf("rallyReason: %q", got)
	}
}

func TestCloudEnviron(t *testing.T) {
	f := filepath.Join(t.TempDir(), "clouds.yaml")
	doc := "clouds:\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n      username: admin\n      password: pw\n      project_name: admin\n    region_name: RegionOne\n"
	if err := os.WriteFile(f, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	env, err := CloudEnviron("lab", []string{"OS_CLIENT_CONFIG_FILE=" + f, "OS_AUTH_URL=http://other"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := SpecFromEnviron(env, false)
	if err != nil || !strings.Contains(string(b), `"auth_url": "http://127.0.0.1:5000/v3"`) || !strings.Contains(string(b), `"password": "pw"`) {
		t.Errorf("spec %v %s", err, b)
	}
	if _, err := CloudEnviron("nope", []string{"OS_CLIENT_CONFIG_FILE=" + f}); err == nil || !strings.Contains(err.Error(), `no cloud "nope"`) {
		t.Errorf("unknown cloud: %v", err)
	}
	if err := os.WriteFile(f, []byte("clouds: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := CloudEnviron("lab", []string{"OS_CLIENT_CONFIG_FILE=" + f}); err == nil || !strings.Contains(err.Error(), f) {
		t.Errorf("bad yaml: %v", err)
	}
}

// probe: a listening port is reachable; a closed one is "cannot reach"
// (exit 1, the cloud's problem); a URL that names no host or scheme is
// the user's input (exit 2).
func TestProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// A cloud that answers: anything at all after the request.
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("HTTP/1.0 300 Multiple Choices\r\n\r\n"))
			c.Close()
		}
	}()
	up := "http://" + l.Addr().String() + "/v3"
	l2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l2.Addr().String() + "/identity"
	l2.Close()
	defer l.Close()
	for _, c := range []struct {
		url  string
		kind Kind // -1: no error
		msg  string
	}{
		{up, -1, ""},
		{down, Failed, "cannot reach the cloud at OS_AUTH_URL " + down + ": connect: connection refused"},
		{"127.0.0.1:5000/v3", Invalid, `OS_AUTH_URL "127.0.0.1:5000/v3"`},
		{"ftp://127.0.0.1/v3", Invalid, "want an http:// or https:// URL"},
		{"http:///v3", Invalid, "no host"},
		{"http://[::1/v3", Invalid, "missing ']' in host"},
		{"", Invalid, `OS_AUTH_URL ""`},
	} {
		err := probe(context.Background(), []string{"OS_AUTH_URL=" + c.url})
		var e *Error
		switch {
		case c.kind < 0 && err != nil:
			t.Errorf("%s: %v", c.url, err)
		case c.kind >= 0 && (!errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(e.Msg, c.msg)):
			t.Errorf("%s: got %v, want kind %d with %q", c.url, err, c.kind, c.msg)
		}
	}
	if a, err := authAddr("https://keystone.example.org/identity"); err != nil || a != "keystone.example.org:443" {
		t.Errorf("https default port: %q %v", a, err)
	}
}

// prepareExtra: ~/.rally/extra holds the repository's extra files (linked)
// and the gate's dummy images, made in the state folder only; a file of
// the repository wins; a second run keeps the images and follows changes.
func TestPrepareExtra(t *testing.T) {
	if _, err := exec.LookPath("qemu-img"); err != nil {
		t.Fatal("qemu-img not found (the gate makes its qcow2 dummy image with it): apt-get install -y qemu-utils")
	}
	home, repo := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(repo, "instance_linux.sh"), []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH")}
	if err := prepareExtra(home, repo, env); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(home, ".rally", "extra")
	if b, err := os.ReadFile(filepath.Join(extra, "instance_linux.sh")); err != nil || string(b) != "#!/bin/sh\n" {
		t.Errorf("repository file not in extra: %q %v", b, err)
	}
	raw, err := os.Stat(filepath.Join(extra, "dummy_image.raw"))
	if err != nil || raw.Size() != 100<<20 {
		t.Errorf("raw dummy image: %v %v", raw, err)
	}
	q, err := os.ReadFile(filepath.Join(extra, "dummy_image.qcow2"))
	if err != nil || len(q) < 4 || string(q[:4]) != "QFI\xfb" {
		t.Errorf("qcow2 dummy image: %d bytes %v", len(q), err)
	}
	if ents, _ := os.ReadDir(repo); len(ents) != 1 {
		t.Errorf("the repository's extra folder was written: %v", ents)
	}
	// The repository now ships its own image and drops a file.
	if err := os.WriteFile(filepath.Join(repo, "dummy_image.qcow2"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(repo, "instance_linux.sh"))
	if err := prepareExtra(home, repo, env); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(extra, "dummy_image.qcow2")); string(b) != "mine" {
		t.Errorf("the repository's dummy_image.qcow2 does not win: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(extra, "instance_linux.sh")); err == nil {
		t.Error("a file removed from the repository is still in extra")
	}
	if _, err := os.Stat(filepath.Join(extra, "dummy_image.raw")); err != nil {
		t.Errorf("raw image gone on the second run: %v", err)
	}
	// Without qemu-img the qcow2 image is left out, nothing fails.
	home2 := t.TempDir()
	if err := prepareExtra(home2, filepath.Join(repo, "missing"), []string{"PATH=" + t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(home2, ".rally", "extra", "dummy_image.qcow2")); err == nil {
		t.Error("qcow2 image without qemu-img")
	}
}
