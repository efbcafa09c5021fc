#!/usr/bin/python3
"""Merge the generator outputs into ../catalog.json (the embedded catalog).

    merge.py installed.json [master.json]

installed.json comes from introspect.py; master.json (optional) from the
static analysis of rally-openstack master. Each plugin records in "sources"
which inputs have it; where both do, the installed description wins for the
shared fields and the master-only fields (atomics, zuul jobs) are added.
"""
import json
import os
import sys

KINDS = ["scenarios", "contexts", "runners", "slas", "hook_actions", "hook_triggers"]


def main():
    inst = json.load(open(sys.argv[1]))
    master = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
    out = {"generated": {
        "rally_version": inst["rally_version"],
        "rally_openstack_version": inst["rally_openstack_version"],
        "rally_openstack_commit": (master or {}).get("commit", ""),
        "generator": "internal/catalog/gen/generate.sh",
    }}
    for k in KINDS:
        by = {}
        for p in inst[k]:
            p = dict(p, sources=["installed"])
            by[(p["name"], p["platform"])] = p
        for p in (master or {}).get(k, []):
            key = (p["name"], p["platform"])
            if key in by:
                q = by[key]
                q["sources"].append("master")
                for f in ("atomics", "atomics_by_version"):
                    if f in p:
                        q[f] = p[f]
            else:
                by[key] = dict(p, sources=["master"])
        out[k] = [by[key] for key in sorted(by)]
    out["zuul_jobs"] = (master or {}).get("zuul_jobs", [])
    dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalog.json")
    with open(dst + ".tmp", "w") as f:
        json.dump(out, f, sort_keys=True, separators=(",", ":"))
    os.replace(dst + ".tmp", dst)


if __name__ == "__main__":
    main()
