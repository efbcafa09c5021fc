"""The oracle for internal/pyschema's differential test.

Reads {"schemas": [...], "cases": [[schema_index, instance], ...]} from
argv[1] and writes, for each case, what Python jsonschema's
Draft4Validator.iter_errors reports (path, validator keyword, message,
and the context errors of anyOf/oneOf with their absolute paths), or the
exception it raised. For the schemas listed in "latest_for" whose
"$schema" makes jsonschema.validate() (what Rally's JsonSchemaValidator
calls) pick another validator than Draft4Validator, "latest_valid" is
that validator's verdict, for the record.
"""
import json
import sys

import jsonschema
from jsonschema import validators


def err(e):
    return {"p": [str(p) for p in e.absolute_path], "k": e.validator, "m": e.message}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    d4 = [jsonschema.Draft4Validator(s) for s in data["schemas"]]
    latest = {}
    for si in data["latest_for"]:
        s = data["schemas"][si]
        cls = validators.validator_for(s)
        if cls is not jsonschema.Draft4Validator:
            latest[si] = cls(s)
    out = []
    for si, instance in data["cases"]:
        res = {}
        try:
            errs = []
            for e in d4[si].iter_errors(instance):
                x = err(e)
                x["c"] = [err(c) for c in e.context]
                errs.append(x)
            res["errors"] = errs
        except Exception as ex:  # the Go side must answer these too
            res["exception"] = "%s: %s" % (type(ex).__name__, str(ex)[:200])
        if si in latest:
            try:
                res["latest_valid"] = latest[si].is_valid(instance)
            except Exception:
                pass
        out.append(res)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
