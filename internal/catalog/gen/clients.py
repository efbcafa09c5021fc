#!/usr/bin/python3
"""The OpenStack client plugins (osclients) the api_versions context checks.

    clients.py --tree DIR            > installed-clients.json
    clients.py GIT_DIR COMMIT        > master-clients.json

Rally's check_api_versions validator (contexts/api_versions.py) asks each
named client whether a service type may be set (it has a
default_service_type) and whether a version is valid: by default str(version)
must be one of @configure(supported_versions=...); some clients override
validate_version and ask their python-*client library (api_versions.
get_api_version: MAJOR.MINOR microversions with a known major) instead.
The clients are read with ast from the given source (installed release or
master); the libraries' facts (majors they accept, MAX_VERSION, replacement
versions) are probed from the installed libraries, which are what Rally
calls at validation time whichever rally-openstack it runs.
"""
import ast
import importlib
import json
import os
import subprocess
import sys
import warnings


def sources(args):
    if args[0] == "--tree":
        root = args[1]
        out = {}
        for d, _, fs in os.walk(os.path.join(root, "rally_openstack", "common")):
            for f in fs:
                if f.endswith(".py"):
                    p = os.path.join(d, f)
                    out[os.path.relpath(p, root)] = open(p).read()
        return out
    gd, commit = args[0], args[1]
    names = subprocess.check_output(["git", "--git-dir", gd, "ls-tree", "-r", "--name-only", commit],
                                    text=True).split("\n")
    return {p: subprocess.check_output(["git", "--git-dir", gd, "show", "%s:%s" % (commit, p)], text=True)
            for p in names if p.startswith("rally_openstack/common/") and p.endswith(".py")}


def const(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def version_check(fn, text):
    """How an overriding validate_version decides, from its source text."""
    seg = ast.get_source_segment(text, fn) or ""
    if "get_api_version" in seg:
        lib = None
        for n in ast.walk(fn):
            if isinstance(n, ast.ImportFrom) and n.module and n.module.endswith("client") \
                    and any(a.name == "api_versions" for a in n.names):
                lib = n.module
        return {"version_check": "microversion", "library": lib,
                "replacements": "REPLACEMENT_VERSIONS" in seg, "max_checked": "MAX_VERSION" in seg}
    if "float(" in seg and "super" in seg:
        return {"version_check": "float"}
    return {"version_check": "unknown"}


def clients(files):
    out = []
    for path, text in sorted(files.items()):
        tree = ast.parse(text)
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        for cls in classes.values():
            for d in cls.decorator_list:
                if not (isinstance(d, ast.Call) and d.args and isinstance(d.args[0], ast.Constant)
                        and isinstance(d.args[0].value, str)):
                    continue
                f = d.func
                fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if fname != "configure":
                    continue
                kw = {k.arg: k.value for k in d.keywords}
                c = {"name": d.args[0].value, "module": path[:-3].replace("/", ".")}
                for k in ("default_version", "default_service_type"):
                    if k in kw and const(kw[k]) is not None:
                        c[k] = const(kw[k])
                if "supported_versions" in kw:
                    c["supported_versions"] = [str(v) for v in const(kw["supported_versions"]) or []]
                c["version_check"] = "supported"
                # The override lives on the class (2.x) or its spec (master).
                holders = [cls]
                if "spec" in kw and isinstance(kw["spec"], ast.Name) and kw["spec"].id in classes:
                    holders.append(classes[kw["spec"].id])
                for h in holders:
                    for fn in h.body:
                        if isinstance(fn, ast.FunctionDef) and fn.name == "validate_version":
                            c.update(version_check(fn, text))
                out.append(c)
    return sorted(out, key=lambda c: c["name"])


def library(name):
    """What an installed python-*client's api_versions.get_api_version accepts."""
    try:
        av = importlib.import_module(name + ".api_versions")
        exc = importlib.import_module(name + ".exceptions").UnsupportedVersion
    except ImportError as e:
        sys.exit("clients.py: %s is not installed for %s: %s" % (name, sys.executable, e))

    def ok(v):
        try:
            av.get_api_version(v)
            return True
        except exc:
            return False
    warnings.simplefilter("ignore")  # manilaclient warns on out-of-range versions
    majors = [str(m) for m in range(1, 10) if ok("%d.0" % m)]
    out = {"majors": majors, "int_like": bool(majors) and ok(majors[0])}
    if ok("99.0"):
        out["majors"] = None  # any major: the library checks none
    if isinstance(getattr(av, "MAX_VERSION", None), str):
        out["max_version"] = av.MAX_VERSION
    if isinstance(getattr(av, "REPLACEMENT_VERSIONS", None), dict):
        out["replacement_versions"] = {str(k): str(v) for k, v in av.REPLACEMENT_VERSIONS.items()}
    return out


def main():
    cs = clients(sources(sys.argv[1:]))
    for c in cs:
        if c["version_check"] == "microversion" and c.get("library"):
            lib = library(c["library"])
            c["int_like"] = lib["int_like"]
            if lib["majors"] is not None:
                c["majors"] = lib["majors"]
            if c.pop("max_checked", False) and "max_version" in lib:
                c["max_version"] = lib["max_version"]
            if c.pop("replacements", False) and "replacement_versions" in lib:
                c["replacement_versions"] = lib["replacement_versions"]
        c.pop("max_checked", None)
        c.pop("replacements", None)
    json.dump(cs, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    print("clients.py: %d clients" % len(cs), file=sys.stderr)


if __name__ == "__main__":
    main()
