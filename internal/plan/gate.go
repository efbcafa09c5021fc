package plan

import "sync"

// The curated gate table: for each service type that rally-openstack
// covers, the scenarios that exercise the service's core operations
// (lifecycle of its primary resources first, then listing), grouped by
// resource. Choosing them is editorial; everything else about a workload
// (required arguments not given here, contexts, quotas, SLAs, runner) is
// derived from the generated catalog. TestGateTableAgainstCatalog checks
// every entry: the scenario exists in rally-openstack master and in the
// installed release, each argument is one the scenario accepts, and every
// required argument and context can be filled.

// Expr is raw task text holding Jinja2 expressions ("{{ image_name }}");
// the renderer writes it unquoted so Rally's renderer substitutes it.
type Expr string

// v refers to a variable of the task header.
func v(name string) Expr { return Expr("{{ " + name + " }}") }

// Jinja2 variables a task may use, with the defaults the gate works with.
// The values match what rally-openstack's own gate tasks use.
var jinjaDefaults = map[string]string{
	"image_name":       `^(cirros.*-disk|TestVM)$`,
	"flavor_name":      "m1.tiny",
	"floating_network": "public",
	"extra_dir":        "~/.rally/extra",
	"image_location":   "~/.rally/extra/dummy_image.qcow2",
	"ironic_driver":    "fake-hardware",
}

// jinjaOrder fixes the order of header lines.
var jinjaOrder = []string{"image_name", "flavor_name", "floating_network", "image_location", "extra_dir", "ironic_driver"}

type entry struct {
	Group    string // subtask title: the resource the workloads exercise
	Scenario string
	Args     map[string]any
	// Contexts beyond users/quotas/required ones (e.g. network for a
	// server that needs a NIC).
	Contexts map[string]any
	// Heavy workloads create servers, volumes, stacks, load balancers:
	// fewer iterations, larger per-atomic SLA.
	Heavy bool
	// Needs names what the workload needs of the cloud beyond its API: a
	// backend that really does the work (a volume that resizes). The
	// smoke profile, a quick check that must also pass on a test cloud of
	// fake drivers, leaves such a workload out and says why in the README;
	// the gate and scale profiles keep it.
	Needs string
}

// lbMember is the role Octavia's API policy wants of a load balancer user.
var lbMember = map[string]any{"roles": []any{"load-balancer_member"}}

var gateTable = sync.OnceValue(func() map[string][]entry {
	return map[string][]entry{
		"compute": {
			{Group: "Servers", Scenario: "NovaServers.boot_and_delete_server", Heavy: true},
			{Group: "Servers", Scenario: "NovaServers.boot_and_show_server", Heavy: true},
			{Group: "Servers", Scenario: "NovaServers.boot_and_list_server", Args: map[string]any{"detailed": true}, Heavy: true},
			{Group: "Servers", Scenario: "NovaServers.list_servers", Args: map[string]any{"detailed": true}},
			{Group: "Keypairs", Scenario: "NovaKeypair.create_and_delete_keypair"},
			{Group: "Keypairs", Scenario: "NovaKeypair.create_and_list_keypairs"},
			{Group: "Flavors", Scenario: "NovaFlavors.create_and_delete_flavor", Args: map[string]any{"ram": 64, "vcpus": 1, "disk": 0}},
			{Group: "Flavors", Scenario: "NovaFlavors.list_flavors", Args: map[string]any{"detailed": true}},
			{Group: "Quotas", Scenario: "Quotas.nova_update", Args: map[string]any{"max_quota": 1024}},
		},
		"block-storage": {
			{Group: "Volumes", Scenario: "CinderVolumes.create_and_delete_volume", Args: map[string]any{"size": 1}, Heavy: true},
			{Group: "Volumes", Scenario: "CinderVolumes.create_and_extend_volume", Args: map[string]any{"size": 1, "new_size": 2}, Heavy: true,
				// Cinder's fake drivers cannot: the volume goes error_extending
				// and Rally waits out cinder_volume_create_timeout (600 s).
				Needs: "a volume backend that can extend a volume (Cinder's fake and logging test drivers cannot)"},
			{Group: "Volumes", Scenario: "CinderVolumes.create_and_list_volume", Args: map[string]any{"size": 1, "detailed": true}, Heavy: true},
			{Group: "Volumes", Scenario: "CinderVolumes.list_volumes", Args: map[string]any{"detailed": true}},
			{Group: "Snapshots", Scenario: "CinderVolumes.create_and_delete_snapshot", Args: map[string]any{"force": false}, Heavy: true},
			{Group: "Snapshots", Scenario: "CinderVolumes.create_and_list_snapshots", Args: map[string]any{"force": false, "detailed": true}, Heavy: true},
			{Group: "Quotas", Scenario: "Quotas.cinder_update", Args: map[string]any{"max_quota": 1024}},
		},
		"baremetal": {
			{Group: "Nodes", Scenario: "IronicNodes.create_and_delete_node", Args: map[string]any{"driver": v("ironic_driver")}},
			{Group: "Nodes", Scenario: "IronicNodes.create_and_list_node", Args: map[string]any{"driver": v("ironic_driver")}},
		},
		"object-store": {
			{Group: "Objects", Scenario: "SwiftObjects.create_container_and_object_then_delete_all", Args: map[string]any{"objects_per_container": 5, "object_size": 102400}},
			{Group: "Objects", Scenario: "SwiftObjects.create_container_and_object_then_download_object", Args: map[string]any{"objects_per_container": 5, "object_size": 1024}},
			{Group: "Objects", Scenario: "SwiftObjects.create_container_and_object_then_list_objects", Args: map[string]any{"objects_per_container": 2, "object_size": 5120}},
		},
		"network": {
			{Group: "Networks", Scenario: "NeutronNetworks.create_and_list_networks"},
			{Group: "Networks", Scenario: "NeutronNetworks.create_and_update_networks", Args: map[string]any{"network_create_args": map[string]any{}, "network_update_args": map[string]any{"admin_state_up": false}}},
			{Group: "Networks", Scenario: "NeutronNetworks.create_and_delete_networks"},
			{Group: "Subnets", Scenario: "NeutronNetworks.create_and_list_subnets", Args: map[string]any{"subnets_per_network": 2}},
			{Group: "Subnets", Scenario: "NeutronNetworks.create_and_delete_subnets", Args: map[string]any{"subnet_cidr_start": "1.1.0.0/30", "subnets_per_network": 2}},
			{Group: "Routers", Scenario: "NeutronNetworks.create_and_list_routers", Args: map[string]any{"subnet_cidr_start": "1.1.0.0/30", "subnets_per_network": 2}},
			{Group: "Routers", Scenario: "NeutronNetworks.create_and_delete_routers", Args: map[string]any{"subnet_cidr_start": "1.1.0.0/30", "subnets_per_network": 2}},
			{Group: "Ports", Scenario: "NeutronNetworks.create_and_list_ports", Args: map[string]any{"ports_per_network": 5}},
			{Group: "Ports", Scenario: "NeutronNetworks.create_and_delete_ports", Args: map[string]any{"ports_per_network": 5}},
			{Group: "Security groups", Scenario: "NeutronSecurityGroup.create_and_list_security_groups"},
			{Group: "Security groups", Scenario: "NeutronSecurityGroup.create_and_delete_security_group_rule"},
			{Group: "Floating IPs", Scenario: "NeutronNetworks.create_and_delete_floating_ips", Args: map[string]any{"floating_network": v("floating_network")}},
			{Group: "Trunks", Scenario: "NeutronTrunks.create_and_list_trunks", Args: map[string]any{"subport_count": 5}},
			{Group: "Quotas", Scenario: "Quotas.neutron_update", Args: map[string]any{"max_quota": 1024}},
			{Group: "Servers on the network", Scenario: "NovaServers.boot_and_delete_server", Args: map[string]any{"auto_assign_nic": true}, Contexts: map[string]any{"network": map[string]any{}}, Heavy: true},
		},
		"identity": {
			{Group: "Users", Scenario: "KeystoneBasic.create_delete_user"},
			{Group: "Users", Scenario: "KeystoneBasic.create_and_list_users"},
			{Group: "Projects", Scenario: "KeystoneBasic.create_update_and_delete_tenant"},
			{Group: "Projects", Scenario: "KeystoneBasic.create_and_list_tenants"},
			{Group: "Roles", Scenario: "KeystoneBasic.create_and_delete_role"},
			{Group: "Roles", Scenario: "KeystoneBasic.add_and_remove_user_role"},
			{Group: "Services", Scenario: "KeystoneBasic.create_and_delete_service"},
			{Group: "Tokens", Scenario: "KeystoneBasic.authenticate_user_and_validate_token"},
			{Group: "Tokens", Scenario: "Authenticate.keystone"},
		},
		"image": {
			{Group: "Images", Scenario: "GlanceImages.create_and_delete_image", Args: map[string]any{"image_location": v("image_location"), "container_format": "bare", "disk_format": "qcow2"}, Heavy: true},
			{Group: "Images", Scenario: "GlanceImages.create_and_list_image", Args: map[string]any{"image_location": v("image_location"), "container_format": "bare", "disk_format": "qcow2"}, Heavy: true},
			{Group: "Images", Scenario: "GlanceImages.list_images"},
			{Group: "Authentication", Scenario: "Authenticate.validate_glance", Args: map[string]any{"repetitions": 2}},
		},
		"orchestration": {
			{Group: "Stacks", Scenario: "HeatStacks.create_and_delete_stack", Args: map[string]any{"template_path": Expr("{{ extra_dir }}/random_strings.yaml.template")}, Heavy: true},
			{Group: "Stacks", Scenario: "HeatStacks.create_and_list_stack", Args: map[string]any{"template_path": Expr("{{ extra_dir }}/random_strings.yaml.template")}, Heavy: true},
			// It lists the resources of each stack the user has: the stacks
			// context makes one, or heat.list_resources is never recorded.
			{Group: "Stacks", Scenario: "HeatStacks.list_stacks_and_resources"},
			{Group: "Authentication", Scenario: "Authenticate.validate_heat", Args: map[string]any{"repetitions": 2}},
		},
		"message": {
			{Group: "Queues", Scenario: "ZaqarBasic.create_queue"},
			{Group: "Messages", Scenario: "ZaqarBasic.producer_consumer", Args: map[string]any{"min_msg_count": 50, "max_msg_count": 200}},
		},
		"shared-file-system": {
			{Group: "Shares", Scenario: "ManilaShares.create_and_delete_share", Args: map[string]any{"share_proto": "nfs", "size": 1}, Heavy: true},
			{Group: "Shares", Scenario: "ManilaShares.create_and_list_share", Args: map[string]any{"share_proto": "nfs", "size": 1}, Heavy: true},
			{Group: "Shares", Scenario: "ManilaShares.list_shares", Args: map[string]any{"detailed": true}},
			{Group: "Share networks", Scenario: "ManilaShares.create_share_network_and_delete"},
			{Group: "Share networks", Scenario: "ManilaShares.create_share_network_and_list"},
		},
		"dns": {
			{Group: "Zones", Scenario: "DesignateBasic.create_and_delete_zone"},
			{Group: "Zones", Scenario: "DesignateBasic.create_and_list_zones"},
			{Group: "Zones", Scenario: "DesignateBasic.list_zones"},
			{Group: "Recordsets", Scenario: "DesignateBasic.create_and_delete_recordsets", Args: map[string]any{"recordsets_per_zone": 5}},
			{Group: "Recordsets", Scenario: "DesignateBasic.create_and_list_recordsets", Args: map[string]any{"recordsets_per_zone": 5}},
		},
		"load-balancer": {
			{Group: "Load balancers", Scenario: "Octavia.create_and_delete_loadbalancers", Contexts: lbMember, Heavy: true},
			{Group: "Load balancers", Scenario: "Octavia.create_and_list_loadbalancers", Contexts: lbMember, Heavy: true},
			{Group: "Pools", Scenario: "Octavia.create_and_list_pools", Args: map[string]any{"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}, Contexts: lbMember, Heavy: true},
		},
		"key-manager": {
			{Group: "Secrets", Scenario: "BarbicanSecrets.create_and_delete"},
			{Group: "Secrets", Scenario: "BarbicanSecrets.create_and_get"},
			{Group: "Secrets", Scenario: "BarbicanSecrets.create_and_list"},
			{Group: "Containers", Scenario: "BarbicanContainers.create_and_delete"},
			{Group: "Containers", Scenario: "BarbicanContainers.create_and_add"},
			{Group: "Containers", Scenario: "BarbicanContainers.list"},
		},
		"container-infrastructure-management": {
			{Group: "Cluster templates", Scenario: "MagnumClusterTemplates.list_cluster_templates"},
			{Group: "Clusters", Scenario: "MagnumClusters.list_clusters"},
		},
		"workflow": {
			{Group: "Workbooks", Scenario: "MistralWorkbooks.list_workbooks"},
			{Group: "Executions", Scenario: "MistralExecutions.list_executions"},
		},
		"resource-optimization": {
			{Group: "Audit templates", Scenario: "Watcher.create_audit_template_and_delete", Args: map[string]any{"goal": map[string]any{"name": "dummy"}, "strategy": map[string]any{"name": "dummy"}}},
			{Group: "Audit templates", Scenario: "Watcher.list_audit_templates"},
			{Group: "Audits", Scenario: "Watcher.create_audit_and_delete"},
		},
	}
})

// contextDefaults configures contexts that scenarios require
// (required_contexts validators) and that the plan must therefore add.
// Keyed by context name; values follow the context's CONFIG_SCHEMA.
var contextDefaults = sync.OnceValue(func() map[string]any {
	return map[string]any{
		"network":           map[string]any{},
		"networking_agents": map[string]any{},
		"zones":             map[string]any{"zones_per_tenant": 1},
		"volumes":           map[string]any{"size": 1},
		"audit_templates": map[string]any{
			"audit_templates_per_admin": 1,
			"fill_strategy":             "round_robin",
			"params": []any{map[string]any{
				"goal":     map[string]any{"name": "dummy"},
				"strategy": map[string]any{"name": "dummy"},
			}},
		},
	}
})

// extraFiles are files init writes under rally-jobs/extra/ when a workload
// refers to them through {{ extra_dir }} (the gate copies extra/ to
// ~/.rally/extra). Content lives in the scaffold templates.
var extraFiles = []string{"random_strings.yaml.template"}
