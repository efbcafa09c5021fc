"""Registers Placement, Glance and a non-admin Rally user in local Keystone.

Run with /usr/bin/python3 (the Debian interpreter that has keystoneclient).
Idempotent: every object is looked up by name before it is created. Reads
OS_AUTH_URL and OS_PASSWORD (admin) from the environment.
"""
import os
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client


def main():
    auth = v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
                       password=os.environ["OS_PASSWORD"], project_name="admin",
                       user_domain_name="Default", project_domain_name="Default")
    ks = client.Client(session=session.Session(auth=auth), interface="public")
    # (user, password, service type, endpoint): each service's
    # keystone_authtoken user (admin in project service) and its endpoint.
    services = [
        ("placement", "placementpass", "placement",
         os.environ.get("PLACEMENT_URL", "http://127.0.0.1:8778")),
        ("glance", "glancepass", "image",
         os.environ.get("GLANCE_URL", "http://127.0.0.1:9292")),
    ]

    def one(mgr, name, **kw):
        found = [x for x in mgr.list() if x.name == name]
        return found[0] if found else mgr.create(name=name, **kw)

    admin, member = one(ks.roles, "admin"), one(ks.roles, "member")
    svc_prj = one(ks.projects, "service", domain="default")
    for name, password, stype, url in services:
        user = one(ks.users, name, domain="default", password=password)
        ks.roles.grant(admin, user=user, project=svc_prj)
        svc = [s for s in ks.services.list() if s.type == stype]
        svc = svc[0] if svc else ks.services.create(name=name, type=stype)
        if not ks.endpoints.list(service=svc, interface="public"):
            ks.endpoints.create(service=svc, url=url, interface="public",
                                region="RegionOne")
    # The non-admin user Rally runs as ("existing users"): without it Rally's
    # users context creates and leaks a project per workload (notes, gotcha 6).
    rp = one(ks.projects, "rally", domain="default")
    ru = one(ks.users, "rally", domain="default", password="rallypass", default_project=rp)
    ks.roles.grant(member, user=ru, project=rp)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line, the caller prints the log path
        print("ks_setup.py: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
