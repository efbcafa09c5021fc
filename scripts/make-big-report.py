#!/usr/bin/python3
"""Write a Rally JSON report (format 1.2) with N iterations by repeating the
real iterations of a sample report, shifting timestamps so each copy follows
the previous one. Streams its output, so N = 1,000,000 needs little memory.

usage: make-big-report.py SAMPLE.report.json N OUT
"""
import copy
import json
import sys

src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rep = json.load(open(src))
task = rep["tasks"][0]
sub = task["subtasks"][0]
wl = sub["workloads"][0]
its = wl["data"]
span = max(i["timestamp"] + i["duration"] for i in its) - min(i["timestamp"] for i in its) + 0.001


def shift_atomics(acts, d):
    for a in acts:
        a["started_at"] += d
        a["finished_at"] += d
        shift_atomics(a["children"], d)


wl = copy.deepcopy(wl)
wl["data"] = "@@DATA@@"
wl["total_iteration_count"] = n
wl["failed_iteration_count"] = wl["failed_iteration_count"] * (n // len(its))
wl["runner"] = {"constant": {"times": n, "concurrency": list(wl["runner"].values())[0].get("concurrency", 1)}}
# The load lasts as long as the copies: Rally's load profile (HTML report)
# spans load_duration and fails on iterations ending far beyond it.
copies = (n + len(its) - 1) // len(its)
overhead = max(wl["full_duration"] - wl["load_duration"], 0)  # contexts' setup and cleanup
wl["load_duration"] = span * copies
wl["full_duration"] = wl["load_duration"] + overhead
sub = dict(sub, workloads=[wl])
task = dict(task, subtasks=[sub])
rep = dict(rep, tasks=[task])
head, tail = json.dumps(rep, indent=2).split('"@@DATA@@"')
with open(out, "w") as f:
    f.write(head)
    f.write("[\n")
    for k in range(n):
        it = copy.deepcopy(its[k % len(its)])
        d = (k // len(its)) * span
        it["timestamp"] += d
        shift_atomics(it["atomic_actions"], d)
        if k:
            f.write(",\n")
        f.write(json.dumps(it))
    f.write("\n]")
    f.write(tail)
