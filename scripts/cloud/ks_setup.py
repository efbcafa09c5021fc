"""Registers services and the non-admin Rally user in the local Keystone.

Run with /usr/bin/python3 (the Debian interpreter that has keystoneclient).
Reads OS_AUTH_URL and OS_PASSWORD (admin) from the environment. Idempotent:
every object is looked up by name before it is created.

  ks_setup.py                      placement, glance and the rally user (up.sh)
  ks_setup.py add SPEC...          SPEC = user:password:type:url registers the
                                   service user (admin in project service),
                                   the service and its public endpoint;
                                   SPEC = role:NAME grants NAME to user rally
                                   on project rally; SPEC = mkrole:NAME only
                                   makes the role (for Rally's roles context)
  ks_setup.py remove TYPE...       deletes the services of these types and
                                   their endpoints (the service is stopped:
                                   the catalog must not promise it)
"""
import os
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client


def connect():
    auth = v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
                       password=os.environ["OS_PASSWORD"], project_name="admin",
                       user_domain_name="Default", project_domain_name="Default")
    return client.Client(session=session.Session(auth=auth), interface="public")


def one(mgr, name, **kw):
    found = [x for x in mgr.list() if x.name == name]
    return found[0] if found else mgr.create(name=name, **kw)


def rally_user(ks):
    # The non-admin user Rally runs as ("existing users"): without it Rally's
    # users context creates and leaks a project per workload (notes, gotcha 6).
    member = one(ks.roles, "member")
    rp = one(ks.projects, "rally", domain="default")
    ru = one(ks.users, "rally", domain="default", password="rallypass", default_project=rp)
    ks.roles.grant(member, user=ru, project=rp)
    return ru, rp


def add(ks, specs):
    admin = one(ks.roles, "admin")
    svc_prj = one(ks.projects, "service", domain="default")
    services = ks.services.list()
    for spec in specs:
        if spec.startswith("mkrole:"):
            one(ks.roles, spec[7:])
            continue
        if spec.startswith("role:"):
            ru, rp = rally_user(ks)
            ks.roles.grant(one(ks.roles, spec[5:]), user=ru, project=rp)
            continue
        name, password, stype, url = spec.split(":", 3)
        user = one(ks.users, name, domain="default", password=password)
        ks.roles.grant(admin, user=user, project=svc_prj)
        svc = [s for s in services if s.type == stype]
        svc = svc[0] if svc else ks.services.create(name=name, type=stype)
        eps = ks.endpoints.list(service=svc, interface="public")
        if eps and eps[0].url != url:
            ks.endpoints.update(eps[0], url=url)
        elif not eps:
            ks.endpoints.create(service=svc, url=url, interface="public",
                                region="RegionOne")


def remove(ks, types):
    for s in ks.services.list():
        if s.type in types:
            for ep in ks.endpoints.list(service=s):
                ks.endpoints.delete(ep)
            ks.services.delete(s)


def main():
    ks = connect()
    if len(sys.argv) > 1 and sys.argv[1] == "add":
        add(ks, sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "remove":
        remove(ks, set(sys.argv[2:]))
    else:
        add(ks, ["placement:placementpass:placement:" + os.environ.get("PLACEMENT_URL", "http://127.0.0.1:8778"),
                 "glance:glancepass:image:" + os.environ.get("GLANCE_URL", "http://127.0.0.1:9292")])
        rally_user(ks)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line, the caller prints the log path
        print("ks_setup.py: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
