#!/usr/bin/python3
"""Dump the installed Rally plugin registry (rally + rally-openstack) as JSON.

Run with the system Python that has Debian's rally and python3-rally-openstack:
    /usr/bin/python3 internal/catalog/gen/introspect.py > installed.json
Every plugin kind the catalog knows is listed; values come from the live
registry (inspect + plugin meta), so nothing is typed in by hand.
"""
import inspect
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from introspect_docs import param_docs  # noqa: E402

try:
    from rally import plugins
    from rally.task import context, hook, runner, scenario, sla
    import importlib.metadata as md
except ImportError as e:  # fail loudly: the catalog test relies on this
    sys.exit("introspect.py: Rally is not installed for %s: %s" % (sys.executable, e))

plugins.load()


def jsonable(v):
    """Make a Python value JSON-safe (tuples→lists, sets→sorted lists, others→repr)."""
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted((jsonable(x) for x in v), key=repr)
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    return repr(v)


def first_line(doc):
    for line in (doc or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def validators(p):
    res = []
    for v in p._meta_get("validators", default=[]) or []:
        name, args, kwargs = v[0], v[1] if len(v) > 1 else (), v[2] if len(v) > 2 else {}
        a = dict(jsonable(kwargs) or {})
        if args:
            a["_args"] = jsonable(list(args))
        res.append({"name": name, "args": a} if a else {"name": name})
    return res


def as_list(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple, set)):
        return list(x)
    return [x]


def required(vals):
    services, contexts = [], []
    for v in vals:
        a = v.get("args", {})
        if v["name"] == "required_services":
            for s in as_list(a.get("services")) + as_list(a.get("_args")):
                for s2 in as_list(s):
                    if s2 not in services:
                        services.append(s2)
        elif v["name"] in ("required_contexts", "required_context_config"):
            for c in as_list(a.get("contexts")) + as_list(a.get("_args")) + as_list(a.get("context_name")):
                for c2 in as_list(c):  # tuples mean "one of"
                    if isinstance(c2, str) and c2 not in contexts:
                        contexts.append(c2)
    return services, contexts


def base(p):
    d = {
        "name": p.get_name(),
        "platform": p.get_platform(),
        "doc": first_line(p.__doc__ or (p.run.__doc__ if hasattr(p, "run") else "")),
        "module": p.__module__,
    }
    if p.is_hidden():
        d["hidden"] = True
    schema = getattr(p, "CONFIG_SCHEMA", None)
    if schema is not None:
        d["schema"] = jsonable(schema)
    return d


def service_types():
    """Service name ("nova") → service type ("compute"), from rally-openstack's
    own consts: the first type listed for a name is its canonical one."""
    from rally_openstack.common import consts
    names = consts.ServiceType._ServiceType__names
    out = {}
    for t, n in names.items():
        out.setdefault(n, t)
    return out


SERVICE_TYPES = service_types()


def scen(p):
    d = base(p)
    d["group"] = d["name"].split(".")[0]
    run = p.run
    docs = param_docs(run.__doc__)
    params, kw = [], False
    for k, v in inspect.signature(run).parameters.items():
        if k == "self" or v.kind == v.VAR_POSITIONAL:
            continue
        if v.kind == v.VAR_KEYWORD:
            kw = True
            continue
        pp = {"name": k, "required": v.default is inspect.Parameter.empty}
        if not pp["required"]:
            pp["default"] = jsonable(v.default)
        if docs.get(k):
            pp["doc"] = docs[k]
        params.append(pp)
    d["params"], d["kwargs"] = params, kw
    d["validators"] = validators(p)
    svcs, d["required_contexts"] = required(d["validators"])
    d["required_services"] = [SERVICE_TYPES.get(x, x) for x in svcs]
    # The main service: the first required service, else the service folder
    # of the module (rally_openstack.task.scenarios.<service>.…).
    parts = p.__module__.split(".")
    folder = parts[3] if len(parts) > 4 and parts[1:3] == ["task", "scenarios"] else ""
    st = d["required_services"][0] if d["required_services"] else SERVICE_TYPES.get(folder, "")
    if st:
        d["service_type"] = st
    dc = p._meta_get("default_context", default=None)
    if dc:
        d["default_context"] = jsonable(dc)
    return d


def plugins_of(cls):
    return sorted(cls.get_all(allow_hidden=True), key=lambda p: (p.get_name(), p.get_platform()))


def main():
    rov = md.version("rally-openstack")
    out = {
        "rally_version": md.version("rally"),
        "rally_openstack_version": rov,
        "scenarios": [scen(p) for p in plugins_of(scenario.Scenario)],
        "contexts": [base(p) for p in plugins_of(context.Context)],
        "runners": [base(p) for p in plugins_of(runner.ScenarioRunner)],
        "slas": [base(p) for p in plugins_of(sla.SLA)],
        "hook_actions": [base(p) for p in plugins_of(hook.HookAction)],
        "hook_triggers": [base(p) for p in plugins_of(hook.HookTrigger)],
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
