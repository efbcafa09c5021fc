package rallyrun

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"go.yaml.in/yaml/v3"
)

// getenv is the last value of k in environ (as the process would see it).
func getenv(environ []string, k string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if v, ok := cutKey(environ[i], k); ok {
			return v
		}
	}
	return ""
}

func cutKey(kv, k string) (string, bool) {
	if len(kv) > len(k) && kv[:len(k)] == k && kv[len(k)] == '=' {
		return kv[len(k)+1:], true
	}
	return "", false
}

// configDirs are the folders openstacksdk (openstack/config/loader.py)
// searches, in its order: the current folder, the user's config folder
// ($XDG_CONFIG_HOME or ~/.config, then ~/.config itself), the site ones
// ($XDG_CONFIG_DIRS or /etc/xdg, then /etc).
func configDirs(environ []string) []string {
	dirs := []string{"."}
	home := getenv(environ, "HOME")
	if x := getenv(environ, "XDG_CONFIG_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "openstack"))
	}
	if h := getenv(environ, "SNAP_REAL_HOME"); h != "" {
		home = h
	}
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".config", "openstack"))
	}
	site := getenv(environ, "XDG_CONFIG_DIRS")
	if site == "" {
		site = "/etc/xdg"
	}
	for _, d := range filepath.SplitList(site) {
		dirs = append(dirs, filepath.Join(d, "openstack"))
	}
	return append(dirs, "/etc/openstack")
}

// configFiles lists the candidates for base ("clouds" or "secure"), the
// override variable's file first.
func configFiles(environ []string, base, override string) []string {
	var files []string
	if f := getenv(environ, override); f != "" {
		files = append(files, f)
	}
	for _, d := range configDirs(environ) {
		for _, ext := range []string{".yaml", ".yml", ".json"} {
			files = append(files, filepath.Join(d, base+ext))
		}
	}
	return files
}

// loadFirst reads the first file of files that exists, as openstacksdk
// does (later files are not merged in).
func loadFirst(files []string) (string, map[string]any, error) {
	for _, f := range files {
		b, err := fsutil.ReadRegular(f, 0)
		if err != nil {
			continue
		}
		var doc map[string]any
		if strings.HasSuffix(f, "json") {
			err = json.Unmarshal(b, &doc)
		} else {
			err = yaml.Unmarshal(b, &doc)
		}
		if err != nil {
			return f, nil, fail(Invalid, "%s: %v", f, err)
		}
		return f, doc, nil
	}
	return "", nil, nil
}

// merge copies src over dst recursively (openstacksdk's merge_clouds:
// secure.yaml's values win, nested maps are merged).
func merge(dst, src map[string]any) map[string]any {
	if dst == nil {
		dst = map[string]any{}
	}
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				dst[k] = merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}

// CloudName is the clouds.yaml cloud to use: --cloud, else $OS_CLOUD.
func CloudName(flag string, environ []string) (string, bool) {
	if flag != "" {
		return flag, true
	}
	n := getenv(environ, "OS_CLOUD")
	return n, n != ""
}

// cloudKeys maps clouds.yaml keys (top level, or under auth: when the key
// starts with "auth.") to the OS_* variables SpecFromEnviron reads.
var cloudKeys = [][2]string{
	{"auth.auth_url", "OS_AUTH_URL"}, {"auth.username", "OS_USERNAME"}, {"auth.password", "OS_PASSWORD"},
	{"auth.project_name", "OS_PROJECT_NAME"}, {"auth.tenant_name", "OS_TENANT_NAME"},
	{"auth.user_domain_name", "OS_USER_DOMAIN_NAME"}, {"auth.project_domain_name", "OS_PROJECT_DOMAIN_NAME"},
	{"auth.application_credential_id", "OS_APPLICATION_CREDENTIAL_ID"},
	{"auth.application_credential_name", "OS_APPLICATION_CREDENTIAL_NAME"},
	{"auth.application_credential_secret", "OS_APPLICATION_CREDENTIAL_SECRET"},
	{"auth_type", "OS_AUTH_TYPE"}, {"region_name", "OS_REGION_NAME"}, {"interface", "OS_INTERFACE"},
	{"identity_api_version", "OS_IDENTITY_API_VERSION"},
	{"cacert", "OS_CACERT"}, {"cert", "OS_CERT"}, {"key", "OS_KEY"}, {"insecure", "OS_INSECURE"},
}

// CloudEnviron turns the clouds.yaml entry NAME (with secure.yaml merged
// in) into the OS_* variables SpecFromEnviron reads. The shell's own OS_*
// variables are dropped: a named cloud is complete, as for openstacksdk.
func CloudEnviron(name string, environ []string) ([]string, error) {
	files := configFiles(environ, "clouds", "OS_CLIENT_CONFIG_FILE")
	path, doc, err := loadFirst(files)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fail(Invalid, "cloud %s: no clouds.yaml found (looked in %s)", name, strings.Join(files, ", "))
	}
	_, sec, err := loadFirst(configFiles(environ, "secure", "OS_CLIENT_SECURE_FILE"))
	if err != nil {
		return nil, err
	}
	clouds, _ := merge(doc, sec)["clouds"].(map[string]any)
	c, ok := clouds[name].(map[string]any)
	if !ok {
		return nil, fail(Invalid, "%s: no cloud %q", path, name)
	}
	if _, ok := c["profile"]; ok && c["auth"] == nil {
		return nil, fail(Invalid, "%s: cloud %q uses a vendor profile; put its auth_url in clouds.yaml", path, name)
	}
	out := make([]string, 0, len(environ)+len(cloudKeys))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "OS_") || strings.HasPrefix(kv, "OS_CLIENT_") {
			out = append(out, kv)
		}
	}
	auth, _ := c["auth"].(map[string]any)
	for _, k := range cloudKeys {
		var v any
		if a, ok := strings.CutPrefix(k[0], "auth."); ok {
			v = auth[a]
		} else {
			v = c[k[0]]
		}
		if v != nil {
			out = append(out, fmt.Sprintf("%s=%v", k[1], v))
		}
	}
	// verify: false is openstacksdk's spelling of insecure; verify: PATH
	// is a CA bundle.
	switch v := c["verify"].(type) {
	case bool:
		if !v {
			out = append(out, "OS_INSECURE=true")
		}
	case string:
		if c["cacert"] == nil {
			out = append(out, "OS_CACERT="+v)
		}
	}
	return out, nil
}
