package detect

import (
	"testing"
)

// Layouts of real OpenStack repositories outside the corpus that detect
// judged wrong, rebuilt with the paths and the few data files that decide
// the verdict (the repositories themselves cannot be copied into the
// shared corpus). Each case names the repository and commit it was taken
// from, and the truth: what the repository is, as labels.yaml would say.
// The controls are repositories of the same shape that were right and
// must stay right.
type layoutCase struct {
	name  string
	files map[string]string
	kind  string
	stype string // "" for no service type
}

var unseenLayouts = []layoutCase{
	{
		// openstack/devstack-plugin-ceph 0e147a8d715f: a DevStack plugin
		// that deploys Ceph and registers its RADOS Gateway as
		// object-store; no Python package, it implements no service.
		name: "devstack plugin registering a service it does not implement",
		files: map[string]string{
			".gitreview":         "[gerrit]\nproject=openstack/devstack-plugin-ceph.git\n",
			"README.rst":         "Ceph DevStack plugin\n",
			"tox.ini":            "[tox]\n",
			"devstack/plugin.sh": "source $CEPH_PLUGIN_DIR/lib/cephadm\n",
			"devstack/settings":  "CEPH_RELEASE=squid\n",
			"devstack/lib/cephadm": `function _create_swift_endpoint {
    local swift_service
    swift_service=$(get_or_create_service "swift" "object-store" "Swift Service")
}
`,
		},
		kind: KindTooling,
	},
	{
		// openstack/kolla 5d77668da816: container image build tool.
		name: "tool described as a tool",
		files: map[string]string{
			".gitreview":                "[gerrit]\nproject=openstack/kolla.git\n",
			"setup.cfg":                 "[metadata]\nname = kolla\n\n[entry_points]\nconsole_scripts =\n    kolla-build = kolla.cmd.build:main\n",
			"pyproject.toml":            "[project]\nname = \"kolla\"\ndescription = \"Tool for building production-ready OpenStack and infrastructure containers\"\n",
			"kolla/__init__.py":         "",
			"docker/base/Dockerfile.j2": "",
		},
		kind: KindTooling,
	},
	{
		// openstack/osc-placement 5656d513d261: an OpenStackClient plugin
		// is the client of its service, whatever its name.
		name: "OpenStackClient plugin",
		files: map[string]string{
			".gitreview":                "[gerrit]\nproject=openstack/osc-placement.git\n",
			"setup.cfg":                 "[metadata]\nname = osc-placement\nsummary = OpenStackClient plugin for the Placement service\n\n[entry_points]\nopenstack.cli.extension =\n    placement = osc_placement.plugin\n\nopenstack.placement.v1 =\n    resource_provider_list = osc_placement.resources.resource_provider:ListResourceProvider\n",
			"osc_placement/__init__.py": "",
		},
		kind: KindClient,
	},
	{
		// openstack/python-ironicclient 8f37f7103e83: python-*client that
		// also registers into openstack.cli.extension.
		name: "python-*client that is also an OpenStackClient plugin",
		files: map[string]string{
			".gitreview":               "[gerrit]\nproject=openstack/python-ironicclient.git\n",
			"setup.cfg":                "[metadata]\nname = python-ironicclient\n\n[entry_points]\nconsole_scripts =\n    baremetal = ironicclient.shell:main\nopenstack.cli.extension =\n    baremetal = ironicclient.osc.plugin\n",
			"ironicclient/__init__.py": "",
		},
		kind: KindClient,
	},
	{
		// openstack/glance_store 5e561642d138: the image service's store
		// library; its legacy driver names, after a comment inside the
		// glance_store.drivers group, were read as a group glance.store.*
		// into the image service (setupcfg now reads as configparser does).
		name: "library whose driver group continues after a comment",
		files: map[string]string{
			".gitreview":               "[gerrit]\nproject=openstack/glance_store.git\n",
			"setup.cfg":                "[metadata]\nname = glance_store\nsummary = OpenStack Image Service Store Library\n\n[entry_points]\nglance_store.drivers =\n    file = glance_store._drivers.filesystem:Store\n\n    # Backwards compatibility\n    glance.store.filesystem.Store = glance_store._drivers.filesystem:Store\n",
			"glance_store/__init__.py": "",
		},
		kind: KindLibrary,
	},
	{
		// openstack/grenade 0a5e3bf3c360: shell upgrade-test harness;
		// setup.cfg is only there for the docs, projects/ holds shell
		// fragments, not a Python package.
		name: "shell tooling with a setup.cfg and no package",
		files: map[string]string{
			".gitreview":                        "[gerrit]\nproject=openstack/grenade.git\n",
			"setup.cfg":                         "[metadata]\nname = Grenade\nsummary = OpenStack Grenade\n",
			"grenade.sh":                        "",
			"projects/10_keystone/upgrade.sh":   "",
			"playbooks/grenade.yaml":            "",
			"roles/run-grenade/tasks/main.yaml": "",
		},
		kind: KindTooling,
	},
	{
		// openstack/charm-keystone de9baffa91d7: a Juju charm that deploys
		// keystone (charmhelpers is a vendored Python package).
		name: "Juju charm",
		files: map[string]string{
			".gitreview":               "[gerrit]\nproject=openstack/charm-keystone.git\n",
			"setup.cfg":                "[metadata]\nname = charm-keystone\nsummary = Charm module for OpenStack Keystone\n",
			"charmcraft.yaml":          "type: charm\n",
			"metadata.yaml":            "name: keystone\n",
			"hooks/install":            "",
			"charmhelpers/__init__.py": "",
		},
		kind: KindTooling,
	},
	{
		// openstack/kuryr-libnetwork a63f55c73ce9: a Docker network driver
		// whose DevStack plugin registers a keystone service of a type the
		// authority does not know.
		name: "driver whose devstack plugin registers an unknown type",
		files: map[string]string{
			".gitreview":                   "[gerrit]\nproject=openstack/kuryr-libnetwork.git\n",
			"setup.cfg":                    "[metadata]\nname = kuryr-libnetwork\nsummary = Docker libnetwork driver for OpenStack Neutron\n\n[entry_points]\nconsole_scripts =\n    kuryr-server = kuryr_libnetwork.server:start\noslo.config.opts =\n    kuryr_libnetwork = kuryr_libnetwork.opts:list_kuryr_libnetwork_opts\n",
			"kuryr_libnetwork/__init__.py": "",
			"devstack/plugin.sh":           "function create_kuryr_account {\n        get_or_create_service \"kuryr-libnetwork\" \"kuryr-libnetwork\" \\\n        \"Kuryr-Libnetwork Service\"\n}\n",
		},
		kind: KindPlugin,
	},
	{
		// openstack/ironic-prometheus-exporter 2b17d9278ed3: an
		// oslo.messaging notifier driver loaded by ironic-conductor.
		name: "driver registered into another package's driver namespace",
		files: map[string]string{
			".gitreview":                             "[gerrit]\nproject=openstack/ironic-prometheus-exporter.git\n",
			"setup.cfg":                              "[metadata]\nname = ironic-prometheus-exporter\nsummary = Prometheus Exporter for Ironic Hardware Sensor data\n\n[entry_points]\noslo.messaging.notify.drivers =\n    prometheus_exporter = ironic_prometheus_exporter.messaging:PrometheusFileDriver\n",
			"ironic_prometheus_exporter/__init__.py": "",
		},
		kind: KindPlugin,
	},
	{
		// openstack/tripleo-heat-templates 04f9e4f73a7f: deployment
		// templates with a small Python package for their tools.
		name: "deployment templates",
		files: map[string]string{
			".gitreview":                         "[gerrit]\nproject=openstack/tripleo-heat-templates.git\n",
			"setup.cfg":                          "[metadata]\nname = tripleo-heat-templates\nsummary = Heat templates for deploying OpenStack with OpenStack.\n",
			"tripleo_heat_templates/__init__.py": "",
			"overcloud.j2.yaml":                  "",
		},
		kind: KindTooling,
	},

	// Controls.
	{
		// openstack/oslo.messaging 8ea2d5b486b5: registers its own
		// oslo.messaging.notify.drivers; a library.
		name: "library registering its own driver namespace",
		files: map[string]string{
			".gitreview":                 "[gerrit]\nproject=openstack/oslo.messaging.git\n",
			"setup.cfg":                  "[metadata]\nname = oslo.messaging\n\n[entry_points]\noslo.messaging.notify.drivers =\n    log = oslo_messaging.notify._impl_log:LogDriver\n",
			"pyproject.toml":             "[project]\nname = \"oslo.messaging\"\ndescription = \"Oslo Messaging API\"\n",
			"oslo_messaging/__init__.py": "",
		},
		kind: KindLibrary,
	},
	{
		// openstack/octavia-lib 8cea39b2d8fa: "drivers" in the plural says
		// what the library supports, it is no driver.
		name: "library supporting drivers",
		files: map[string]string{
			".gitreview":              "[gerrit]\nproject=openstack/octavia-lib.git\n",
			"setup.cfg":               "[metadata]\nname = octavia-lib\nsummary = A library to support Octavia provider drivers.\n",
			"octavia_lib/__init__.py": "",
		},
		kind: KindLibrary,
	},
	{
		// openstack/adjutant 69d2bb82baee: a service in the authority keeps
		// its devstack-independent verdict.
		name: "service in the authority",
		files: map[string]string{
			".gitreview":               "[gerrit]\nproject=openstack/adjutant.git\n",
			"setup.cfg":                "[metadata]\nname = adjutant\n",
			"adjutant/__init__.py":     "",
			"api-ref/source/index.rst": "",
		},
		kind:  KindService,
		stype: "admin-logic",
	},
}

func TestUnseenLayouts(t *testing.T) {
	for _, c := range unseenLayouts {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			for rel, content := range c.files {
				write(t, d, rel, content)
			}
			r, err := Detect(d)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if r.ServiceType != nil {
				got = *r.ServiceType
			}
			if r.Kind != c.kind || got != c.stype {
				t.Errorf("kind %s type %q, want %s %q (evidence %+v)", r.Kind, got, c.kind, c.stype, r.Evidence)
			}
		})
	}
}

// Retired repositories keep more than README and .gitreview now and then;
// the README's end-of-life notice is what tells.
func TestRetirementStubWithHousekeeping(t *testing.T) {
	// openstack/monasca-agent c983f1af11bb: .gitignore, .gitreview,
	// LICENSE and the end-of-life README.
	eol := "This project is no longer maintained.\n\nThe contents of this repository are still available in the Git\nsource code management system. To see the contents of this\nrepository before it reached its end of life, please check out the\nprevious commit with \"git checkout HEAD^1\".\n"
	d := t.TempDir()
	write(t, d, ".gitreview", "[gerrit]\nproject=openstack/monasca-agent.git\n")
	write(t, d, ".gitignore", "*.pyc\n")
	write(t, d, "LICENSE", "Apache License\n")
	write(t, d, "README.rst", eol)
	r, err := Detect(d)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Retired || r.Kind != KindUnknown {
		t.Errorf("EOL stub with housekeeping files: kind %s retired %v (evidence %+v)", r.Kind, r.Retired, r.Evidence)
	}

	// The same files with an ordinary README are not a retirement.
	d = t.TempDir()
	write(t, d, ".gitreview", "[gerrit]\nproject=openstack/some-notes.git\n")
	write(t, d, "LICENSE", "Apache License\n")
	write(t, d, "README.rst", "Notes\n=====\n\nDesign notes.\n")
	r, err = Detect(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retired {
		t.Errorf("README + LICENSE without an end-of-life notice reads as retired (evidence %+v)", r.Evidence)
	}
}
