"""Judge measured iterations with a task's SLAs the way Rally does.

Reads a JSON list of {"name", "task", "report", "plugins": [dirs], "args"}
on stdin. For each item: render the task with Rally's own Jinja2 renderer,
build TaskConfig (v1 tasks become v2 there), then for every workload of the
task that has a workload of the same scenario and occurrence in the report
(`rally task report --json`), feed the report's iterations to Rally's own
SLAChecker built from the task's sla, as the task engine does while the
task runs. Prints {name: {"error": null | text, "workloads": [{"workload":
"Scenario#n", "sla": [{criterion, success, detail}]}]}}.
"""
import json
import os
import sys
from unittest import mock

import yaml
from rally import api, plugins
from rally.common.plugin import discover
from rally.task import sla, task_cfg

plugins.load()
out = {}
for item in json.load(sys.stdin):
    res = {"error": None, "workloads": []}
    try:
        for d in item.get("plugins") or []:
            discover.load_plugins(d)
        with open(item["task"]) as f:
            tmpl = f.read()
        rendered = api._Task(mock.MagicMock()).render_template(
            task_template=tmpl,
            template_dir=os.path.dirname(os.path.abspath(item["task"])),
            **(item.get("args") or {}))
        config = task_cfg.TaskConfig(yaml.safe_load(rendered))
        with open(item["report"]) as f:
            report = json.load(f)
        measured, seen = {}, {}
        for t in report["tasks"]:
            for s in t["subtasks"]:
                for w in s["workloads"]:
                    name = list(w["scenario"].keys())[0]
                    key = "%s#%d" % (name, seen.get(name, 0))
                    seen[name] = seen.get(name, 0) + 1
                    measured[key] = w
        seen = {}
        for s in config.subtasks:
            for w in s["workloads"]:
                key = "%s#%d" % (w["name"], seen.get(w["name"], 0))
                seen[w["name"]] = seen.get(w["name"], 0) + 1
                if key not in measured:
                    continue
                checker = sla.SLAChecker(w)
                for it in measured[key]["data"]:
                    checker.add_iteration(it)
                res["workloads"].append({"workload": key,
                                         "sla": checker.results()})
    except Exception as e:  # noqa: any failure is the verdict
        res["error"] = "%s: %s" % (type(e).__name__, e)
    out[item["name"]] = res
json.dump(out, sys.stdout)
