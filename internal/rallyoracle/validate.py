"""Validate Rally task files the way Rally does before running them.

Reads a JSON list of {"name", "task", "plugins": [dirs], "args": {..}} on
stdin (optional "cwd": folder Rally runs in, relative file paths resolve
there; optional "extra": folder that stands for ~/.rally/extra, as the gate
copies rally-jobs/extra there); for each task: render it with Rally's own Jinja2 renderer (loader
relative to the task file, as `rally task validate` does; task args if any,
none at the gate), parse it, build TaskConfig and run TaskEngine syntax
validation with the plugin directories loaded (what rally-openstack's
tests/unit/rally_jobs/test_jobs.py does with a mocked environment). Prints
one JSON object {name: error-or-null}.
"""
import json
import os
import shutil
import sys
import tempfile
from unittest import mock

import yaml
from rally import api, plugins
from rally.common.plugin import discover
from rally.task import engine, task_cfg

plugins.load()
out = {}
home = tempfile.mkdtemp()
os.makedirs(os.path.join(home, ".rally"))
os.environ["HOME"] = home
start = os.getcwd()
for item in json.load(sys.stdin):
    extra = os.path.join(home, ".rally", "extra")
    if os.path.lexists(extra):
        os.remove(extra)
    if item.get("extra"):
        os.symlink(item["extra"], extra)
    os.chdir(item.get("cwd") or start)
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
        engine.TaskEngine(config, mock.MagicMock(), mock.Mock()).validate(
            only_syntax=True)
        out[item["name"]] = None
    except Exception as e:  # noqa: any failure is the verdict
        out[item["name"]] = "%s: %s" % (type(e).__name__, e)
shutil.rmtree(home, ignore_errors=True)
json.dump(out, sys.stdout)
