#!/usr/bin/python3
"""Merge the generator outputs into ../catalog.json (the embedded catalog).

    merge.py INSTALLED.json INSTALLED_TREE.json MASTER.json CLIENTS_INSTALLED.json CLIENTS_MASTER.json

INSTALLED.json: introspect.py (the live registry: names, params, defaults,
validators, schemas). INSTALLED_TREE.json: analyze.py --tree on the installed
rally_openstack sources (only its atomic action names are used: the registry
cannot tell them). MASTER.json: analyze.py on rally-openstack master.

Each plugin records in "sources" which of installed/master has it. Where both
do, the installed description is kept (tests check the two agree) and the
master's atomics are added as atomics_master when they differ, since a gate
run on master records those. CLIENTS_*.json: clients.py; a client both sources
describe alike is one entry, else one entry per source.
"""
import json
import os
import sys

KINDS = ["scenarios", "contexts", "runners", "slas", "hook_actions", "hook_triggers"]


COMPARED = {"scenarios": ["params", "kwargs", "default_context", "validators", "required_services"]}


def norm(field, v):
    if field == "params":  # docstrings are not compared
        return [{k: x for k, x in p.items() if k != "doc"} for p in v or []]
    return v or None


def merge_clients(inst, master):
    def same(a, b):
        return {k: v for k, v in a.items() if k != "module"} == {k: v for k, v in b.items() if k != "module"}
    by_name = {c["name"]: c for c in master}
    out = []
    for c in inst:
        m = by_name.pop(c["name"], None)
        if m is not None and same(c, m):
            out.append(dict(c, sources=["installed", "master"]))
            continue
        out.append(dict(c, sources=["installed"]))
        if m is not None:
            out.append(dict(m, sources=["master"]))
    out += [dict(m, sources=["master"]) for m in by_name.values()]
    return sorted(out, key=lambda c: (c["name"], c["sources"]))


def main():
    inst, tree, master = (json.load(open(p)) for p in sys.argv[1:4])
    tree_atomics = {s["name"]: s for s in tree["scenarios"]}
    out = {"generated": {
        "rally_version": inst["rally_version"],
        "rally_openstack_version": inst["rally_openstack_version"],
        "rally_openstack_commit": master["commit"],
        "generator": "internal/catalog/gen/generate.sh",
    }}
    for k in KINDS:
        by = {}
        for p in inst[k]:
            p = dict(p, sources=["installed"])
            t = tree_atomics.get(p["name"]) if k == "scenarios" else None
            if t:
                p["atomics"] = t.get("atomics", [])
                p["atomic_tree"] = t.get("atomic_tree", [])
                for f in ("atomics_by_version", "atomic_tree_by_version"):
                    if t.get(f):
                        p[f] = t[f]
            elif k == "scenarios":
                p["atomics"] = []
                p["atomic_tree"] = []
            by[(p["name"], p["platform"])] = p
        for p in master.get(k, []):
            p = {f: v for f, v in p.items() if f != "schema_unresolved"}
            key = (p["name"], p["platform"])
            if key in by:
                q = by[key]
                q["sources"].append("master")
                if k == "scenarios" and p.get("atomics", []) != q.get("atomics", []):
                    q["atomics_master"] = p.get("atomics", [])
                if k == "scenarios" and p.get("atomic_tree", []) != q.get("atomic_tree", []):
                    q["atomic_tree_master"] = p.get("atomic_tree", [])
                # What master says where it disagrees with the installed
                # release on the compared fields (checked by catalog_test.go).
                diff = {f: p.get(f) for f in COMPARED.get(k, [])
                        if norm(f, p.get(f)) != norm(f, q.get(f))}
                if diff:
                    q["master_differs"] = diff
            else:
                by[key] = dict(p, sources=["master"])
        out[k] = [by[key] for key in sorted(by)]
    out["zuul_jobs"] = master.get("zuul_jobs", [])
    out["clients"] = merge_clients(*(json.load(open(p)) for p in sys.argv[4:6]))
    dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalog.json")
    with open(dst + ".tmp", "w") as f:
        json.dump(out, f, sort_keys=True, separators=(",", ":"))
    os.replace(dst + ".tmp", dst)
    counts = {k: (len(out[k]), sum("master" in p["sources"] for p in out[k]),
                  sum("installed" in p["sources"] for p in out[k])) for k in KINDS}
    print("merge.py: (all, master, installed) %s" % counts, file=sys.stderr)


if __name__ == "__main__":
    main()
