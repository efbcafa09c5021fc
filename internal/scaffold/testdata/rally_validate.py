"""Validate Rally task files the way Rally does before running them.

Reads a JSON list of {"name", "task", "plugins": [dirs]} on stdin; for each
task: render it with Rally's own Jinja2 renderer (no task args, as at the
gate), parse it, build TaskConfig and run TaskEngine syntax validation with
the plugin directories loaded (what rally-openstack's
tests/unit/rally_jobs/test_jobs.py does with a mocked environment). Prints
one JSON object {name: error-or-null}.
"""
import json
import sys
from unittest import mock

import yaml
from rally import api, plugins
from rally.common.plugin import discover
from rally.task import engine, task_cfg

plugins.load()
out = {}
for item in json.load(sys.stdin):
    try:
        for d in item.get("plugins") or []:
            discover.load_plugins(d)
        with open(item["task"]) as f:
            tmpl = f.read()
        rendered = api._Task(mock.MagicMock()).render_template(task_template=tmpl)
        config = task_cfg.TaskConfig(yaml.safe_load(rendered))
        engine.TaskEngine(config, mock.MagicMock(), mock.Mock()).validate(only_syntax=True)
        out[item["name"]] = None
    except Exception as e:  # noqa: any failure is the verdict
        out[item["name"]] = "%s: %s" % (type(e).__name__, e)
json.dump(out, sys.stdout)
