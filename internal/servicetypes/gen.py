#!/usr/bin/python3
"""Regenerate servicetypes.json from openstack/service-types-authority.

Usage: gen.py GIT_DIR [COMMIT] > servicetypes.json
GIT_DIR is a clone (bare is fine) of openstack/service-types-authority.
Only the fields rallyforge uses are kept; the source commit is recorded.
"""
import json
import subprocess
import sys

import yaml

git_dir = sys.argv[1]
commit = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
commit = subprocess.check_output(
    ["git", "--git-dir", git_dir, "rev-parse", commit], text=True).strip()
raw = subprocess.check_output(
    ["git", "--git-dir", git_dir, "show", commit + ":service-types.yaml"], text=True)
data = yaml.safe_load(raw)
out = []
for s in data["services"]:
    out.append({
        "service_type": s["service_type"],
        "project": s["project"],
        "aliases": s.get("aliases", []),
        "retired": bool(s.get("retired", False)),
        "secondary": bool(s.get("secondary", False)),
        "api_reference_project": s.get("api_reference_project", ""),
    })
json.dump({"source": "openstack/service-types-authority service-types.yaml",
           "commit": commit, "services": out}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
