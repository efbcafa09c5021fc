"""Exercise a generated plugin against a scripted fake API, with the real
Rally and rally-openstack.

Usage: exercise.py PLUGIN.py SCRIPT.json

SCRIPT is a list of steps {"call": "<method>", "args": {..}, "on":
"scenario"|"cleanup:<ClassName>", "answers": [[status, body], ...]}: the
fake service answers the step's requests in order (the last answer
repeats). Prints a JSON list, per step, of {"result", "error", "requests":
[{"session", "method", "url", "kwargs"}]}: what the plugin sent, through
which credential's session, and how it ended.
"""
import importlib.util
import json
import os
import sys

from rally.common import cfg
from rally.common import opts

# rally-openstack's options, as Rally's plugin loading registers them
# (without importing every plugin: a generated module needs only these).
opts.register_options_from_path("rally_openstack.common.cfg.opts:list_opts")
name = os.path.splitext(os.path.basename(sys.argv[1]))[0]
spec = importlib.util.spec_from_file_location(name, sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
CONF = cfg.CONF
for opt in list(CONF.openstack):
    if opt.endswith("_poll_interval"):
        CONF.set_override(opt, 0, "openstack")
    elif opt.endswith("_create_timeout") or opt.endswith("_delete_timeout"):
        CONF.set_override(opt, 2, "openstack")


class Resp(object):
    def __init__(self, status, body):
        self.status_code = status
        self._body = body
        self.content = b"" if body is None else json.dumps(body).encode()
        self.headers = {}

    def json(self):
        return self._body

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError("HTTP %d" % self.status_code)


class Session(object):
    def __init__(self, name, log, answers):
        self.name, self.log, self.answers = name, log, answers

    def get_endpoint(self, **kwargs):
        return "http://api.example/"

    def get_project_id(self):
        return "project-of-" + self.name

    def request(self, url, method, **kwargs):
        raise_exc = kwargs.pop("raise_exc", True)
        self.log.append({"session": self.name, "method": method,
                         "url": url, "kwargs": kwargs})
        status, body = self.answers[0] if len(self.answers) == 1 \
            else self.answers.pop(0)
        if raise_exc and status >= 400:
            raise RuntimeError("HTTP %d" % status)
        return Resp(status, body)


class Keystone(object):
    def __init__(self, session):
        self.session = session

    def get_session(self):
        return self.session, None


class Credential(object):
    endpoint_type = None
    region_name = None


class Entry(object):
    """An object of a python-*client listing: the answer's fields as
    attributes."""

    def __init__(self, fields):
        self.__dict__.update(fields)


class Manager(object):
    """A python-*client manager (client.services): list() is logged as a
    request to "<client>.<manager>.list" and answered with Entry objects."""

    def __init__(self, session, name):
        self.session, self.name = session, name

    def list(self, **kwargs):
        s = self.session
        s.log.append({"session": s.name, "method": "CLIENT",
                      "url": self.name + ".list", "kwargs": kwargs})
        status, body = s.answers[0] if len(s.answers) == 1 \
            else s.answers.pop(0)
        return [Entry(x) for x in body or []]


class Client(object):
    def __init__(self, session, name):
        self.session, self.name = session, name

    def __getattr__(self, attr):
        return Manager(self.session, self.name + "." + attr)


class Clients(object):
    """Rally's osclients.Clients: keystone and the credential, and a
    python-*client per service as an attribute (clients.nova())."""

    def __init__(self, session):
        self.keystone = Keystone(session)
        self.credential = Credential()
        self.session = session

    def __getattr__(self, name):
        return lambda version=None: Client(self.session, name)


out = []
for step in json.load(open(sys.argv[2])):
    log = []
    answers = [tuple(a) for a in step.get("answers") or [[200, None]]]
    user = Clients(Session("user", log, answers))
    admin = Clients(Session("admin", log, answers))
    on = step.get("on", "scenario")
    if on == "registry":
        # What rally_openstack.task.cleanup finds for the cleanup contexts.
        from rally_openstack.task.cleanup import manager
        out.append({"requests": [], "error": None, "result": sorted(
            "%s.%s" % (m._service, m._resource)
            for m in manager.find_resource_managers(
                step["args"]["names"],
                admin_required=step["args"]["admin"]))})
        continue
    if on == "scenario":
        base = [c for n, c in vars(mod).items()
                if n.endswith("Scenario") and isinstance(c, type)][0]
        obj = base(context={"owner_id": "0123456789abcdef"},
                   admin_clients=admin, clients=user)
    else:
        obj = getattr(mod, on.split(":", 1)[1])(
            resource=step.get("resource"), admin=admin, user=user,
            tenant_uuid="t")
    entry = {"requests": log, "result": None, "error": None}
    try:
        res = getattr(obj, step["call"])(**step.get("args", {}))
        entry["result"] = res if isinstance(res, (str, list, dict, bool,
                                                  int, type(None))) \
            else repr(res)
    except Exception as e:  # noqa: the failure is the observation
        entry["error"] = "%s: %s" % (type(e).__name__, e)
    out.append(entry)
json.dump(out, sys.stdout, default=repr)
