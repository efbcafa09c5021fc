package rallyrun

import (
	"fmt"
	"path/filepath"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"go.yaml.in/yaml/v3"
)

// cloudsFiles are the places openstacksdk reads clouds.yaml from, in its order.
func cloudsFiles(environ []string) []string {
	var files []string
	get := func(k string) string {
		for i := len(environ) - 1; i >= 0; i-- {
			if v, ok := cutKey(environ[i], k); ok {
				return v
			}
		}
		return ""
	}
	if f := get("OS_CLIENT_CONFIG_FILE"); f != "" {
		files = append(files, f)
	}
	files = append(files, "clouds.yaml")
	if h := get("HOME"); h != "" {
		files = append(files, filepath.Join(h, ".config", "openstack", "clouds.yaml"))
	}
	return append(files, "/etc/openstack/clouds.yaml")
}

func cutKey(kv, k string) (string, bool) {
	if len(kv) > len(k) && kv[:len(k)] == k && kv[len(k)] == '=' {
		return kv[len(k)+1:], true
	}
	return "", false
}

// CloudEnviron turns the clouds.yaml entry NAME into the OS_* variables
// SpecFromEnviron reads, appended to environ (so they win over any set).
func CloudEnviron(name string, environ []string) ([]string, error) {
	for _, f := range cloudsFiles(environ) {
		b, err := fsutil.ReadRegular(f, 0)
		if err != nil {
			continue
		}
		var doc struct {
			Clouds map[string]struct {
				Auth struct {
					AuthURL           string `yaml:"auth_url"`
					Username          string `yaml:"username"`
					Password          string `yaml:"password"`
					ProjectName       string `yaml:"project_name"`
					UserDomainName    string `yaml:"user_domain_name"`
					ProjectDomainName string `yaml:"project_domain_name"`
				} `yaml:"auth"`
				RegionName string `yaml:"region_name"`
				Interface  string `yaml:"interface"`
			} `yaml:"clouds"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fail(Invalid, "%s: %v", f, err)
		}
		c, ok := doc.Clouds[name]
		if !ok {
			return nil, fail(Invalid, "%s: no cloud %q", f, name)
		}
		a := c.Auth
		out := append([]string(nil), environ...)
		for k, v := range map[string]string{"OS_AUTH_URL": a.AuthURL, "OS_USERNAME": a.Username,
			"OS_PASSWORD": a.Password, "OS_PROJECT_NAME": a.ProjectName, "OS_USER_DOMAIN_NAME": a.UserDomainName,
			"OS_PROJECT_DOMAIN_NAME": a.ProjectDomainName, "OS_REGION_NAME": c.RegionName, "OS_INTERFACE": c.Interface} {
			out = append(out, fmt.Sprintf("%s=%s", k, v))
		}
		return out, nil
	}
	return nil, fail(Invalid, "--cloud %s: no clouds.yaml found (looked in %v)", name, cloudsFiles(environ))
}
