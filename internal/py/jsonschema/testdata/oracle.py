"""The oracle for internal/pyschema's differential test.

Reads {"schemas": [...], "cases": [[schema_index, instance], ...]} from
argv[1] and writes {"schemas": [...], "cases": [...]} to argv[2].

For each schema, what jsonschema.validate(instance, schema) does before
validating: cls = validator_for(schema) ("draft": the class's version, or
"exception" if validator_for raised), then cls.check_schema(schema)
("schema_error": the SchemaError's message, validator and path, when it
raised), and "meta": every error cls(cls.META_SCHEMA).iter_errors reports
for the schema (with its keys sorted, as the Go side sees a decoded
object), which is where check_schema's verdict comes from.

For each case whose schema passed: what a fresh cls(schema).iter_errors
reports (path, validator keyword, message, and the context errors of
anyOf/oneOf with their absolute paths), or the exception it raised. A
fresh validator per instance, as jsonschema.validate makes one per call,
for schemas with references: the RefResolver caches what it resolved.
Without references nothing is cached, and one validator serves all.
"""
import json
import sys
import warnings

from jsonschema import exceptions, validators

# An unknown "$schema" makes validator_for warn (DeprecationWarning).
warnings.simplefilter("ignore")


def err(e):
    return {"p": [str(p) for p in e.absolute_path], "k": e.validator, "m": e.message}


def errors(it):
    out = []
    for e in it:
        x = err(e)
        x["c"] = [err(c) for c in e.context]
        out.append(x)
    return out


def exc(ex):
    return "%s: %s" % (type(ex).__name__, str(ex)[:200])


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    # The cases are split among several processes: the schema results
    # are asked of one only.
    want_schemas = data.get("schema_results", True)
    classes = []
    schema_out = []
    for s in data["schemas"]:
        res = {}
        cls = None
        try:
            cls = validators.validator_for(s)
        except Exception as ex:
            res["exception"] = exc(ex)
        if cls is not None:
            res["draft"] = cls.__name__
            if cls is not validators.Draft3Validator and want_schemas:
                sorted_s = json.loads(json.dumps(s, sort_keys=True))
                try:
                    res["meta"] = errors(cls(cls.META_SCHEMA).iter_errors(sorted_s))
                except Exception as ex:
                    res["meta_exception"] = exc(ex)
            try:
                cls.check_schema(s)
            except exceptions.SchemaError as e:
                res["schema_error"] = {"p": [str(p) for p in e.path], "k": e.validator, "m": e.message}
                cls = None
            except Exception as ex:
                res["exception"] = exc(ex)
                cls = None
        shared = None
        if cls is not None and not any(k in json.dumps(s) for k in ('"$ref"', '"$dynamicRef"', '"$recursiveRef"')):
            try:
                shared = cls(s)
            except Exception:
                pass  # each case records what constructing it raises
        classes.append((cls, shared))
        schema_out.append(res)
    out = []
    for si, instance in data["cases"]:
        res = {}
        cls, shared = classes[si]
        if cls is None:
            res["exception"] = "no validator: the schema is refused"
        else:
            try:
                v = shared if shared is not None else cls(data["schemas"][si])
                res["errors"] = errors(v.iter_errors(instance))
            except Exception as ex:  # the Go side must answer these too
                res["exception"] = exc(ex)
        out.append(res)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump({"schemas": schema_out, "cases": out}, f)


if __name__ == "__main__":
    main()
