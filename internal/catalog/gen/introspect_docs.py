"""Docstring helpers shared by introspect.py and analyze.py."""
import re


PARAM_RE = re.compile(r"^\s*:param\s+(?:[\w\[\], ]+\s+)?(\*{0,2}\w+):\s*(.*)$")


def param_docs(doc):
    """Map parameter name → its :param text (continuation lines joined)."""
    out, cur = {}, None
    for line in (doc or "").splitlines():
        m = PARAM_RE.match(line)
        if m:
            cur = m.group(1).lstrip("*")
            out[cur] = m.group(2).strip()
        elif cur and line.strip() and not line.strip().startswith(":"):
            out[cur] = (out[cur] + " " + line.strip()).strip()
        else:
            cur = None
    return out
