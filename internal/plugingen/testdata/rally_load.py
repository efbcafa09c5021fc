"""Load Rally plugin modules the way `rally --plugin-paths` does.

Arguments: plugin files. Prints one JSON object {file: [scenario names the
module defines]}; a module that fails to load maps to its error text.
"""
import json
import os
import sys

from rally import plugins
from rally.common.plugin import discover
from rally.task import scenario

plugins.load()
out = {}
for path in sys.argv[1:]:
    path = os.path.abspath(path)
    try:
        discover.load_plugins(path)
    except Exception as e:  # noqa: the failure is the answer
        out[path] = "%s: %s" % (type(e).__name__, e)
        continue
    mod = os.path.splitext(os.path.basename(path))[0]
    out[path] = sorted(
        p.get_name() for p in scenario.Scenario.get_all()
        if p.__module__.split(".")[-1] == mod)
json.dump(out, sys.stdout)
