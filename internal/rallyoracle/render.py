"""Render Rally task templates with Rally's own renderer.

Reads a JSON list of {"name", "task", "args"} on stdin; prints one JSON
object {name: {"out": rendered} or {"err": message}}. The loader is
relative to the task file, as `rally task validate` sets it up.
"""
import json
import os
import sys
from unittest import mock

from rally import api

out = {}
for item in json.load(sys.stdin):
    try:
        with open(item["task"]) as f:
            tmpl = f.read()
        out[item["name"]] = {"out": api._Task(mock.MagicMock()).render_template(
            task_template=tmpl,
            template_dir=os.path.dirname(os.path.abspath(item["task"])),
            **(item.get("args") or {}))}
    except Exception as e:  # noqa: any failure is the verdict
        out[item["name"]] = {"err": "%s: %s" % (type(e).__name__, e)}
json.dump(out, sys.stdout)
