#!/usr/bin/python3
"""Static analysis (Python's ast) of a rally-openstack source tree.

    analyze.py GIT_DIR [COMMIT]   > master.json   # a bare/mirror git dir (git show)
    analyze.py --tree DIR         > tree.json     # a checked-out/installed tree

Nothing is imported from the analysed code. For each scenario it records the
same fields introspect.py reports, plus the atomic action names it records,
followed through self._helper() calls (class and bases) and the service
layer (UnifiedService → compat layer → versioned service). Atomic names are
listed in call order, parents before their children (all nesting levels),
without duplicates. Unresolved dynamic names are reported on stderr.
"""
import ast
import json
import os
import subprocess
import sys

import yaml

VERSIONS = {"identity": "3", "volume": "3", "image": "2"}
VARIANTS = [("identity", "2"), ("volume", "2"), ("volume", "1"), ("image", "1")]
UNRESOLVED = set()


class Src:
    def __init__(self, args):
        if args[0] == "--tree":
            self.root = args[1]
            self.commit = ""
            self.files = {}
            for d, _, fs in os.walk(os.path.join(self.root, "rally_openstack")):
                for f in fs:
                    if f.endswith(".py"):
                        p = os.path.join(d, f)
                        self.files[os.path.relpath(p, self.root)] = open(p).read()
            self.zuul = {}
            self.tasks = {}
        else:
            gd = args[0]
            self.commit = args[1] if len(args) > 1 else subprocess.check_output(
                ["git", "--git-dir", gd, "rev-parse", "HEAD"], text=True).strip()
            names = subprocess.check_output(
                ["git", "--git-dir", gd, "ls-tree", "-r", "--name-only", self.commit],
                text=True).split("\n")

            def show(p):
                return subprocess.check_output(
                    ["git", "--git-dir", gd, "show", "%s:%s" % (self.commit, p)], text=True)
            self.files = {p: show(p) for p in names
                          if p.startswith("rally_openstack/") and p.endswith(".py")}
            self.zuul = {p: show(p) for p in names
                         if p.startswith(".zuul.d/") and p.endswith(".yaml")}
            self.tasks = {p: show(p) for p in names
                          if p.startswith("rally-jobs/") and p.endswith((".yaml", ".yml", ".json"))}


class Module:
    def __init__(self, name, tree):
        self.name, self.tree = name, tree
        self.imports = {}   # local name → dotted target
        self.assigns = {}   # module-level name → value node
        self.classes = {}
        pkg = name.rsplit(".", 1)[0]
        for n in tree.body:
            if isinstance(n, ast.Import):
                for a in n.names:
                    self.imports[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(n, ast.ImportFrom):
                base = n.module or ""
                if n.level:
                    parts = name.split(".")[: -n.level]
                    base = ".".join(parts + ([n.module] if n.module else []))
                for a in n.names:
                    self.imports[a.asname or a.name] = base + "." + a.name
            elif isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name):
                        self.assigns[t.id] = n.value
            elif isinstance(n, ast.ClassDef):
                self.classes[n.name] = Class(self, n)


class Class:
    def __init__(self, mod, node):
        self.mod, self.node, self.name = mod, node, node.name
        self.qual = mod.name + "." + node.name
        self.methods = {f.name: f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.attrs = {}
        for n in node.body:
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name):
                        self.attrs[t.id] = n.value
            elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value is not None:
                self.attrs[n.target.id] = n.value


class NotStatic(Exception):
    pass


class World:
    def __init__(self, src):
        self.mods = {}
        for path, text in src.files.items():
            name = path[:-3].replace("/", ".")
            if name.endswith(".__init__"):
                name = name[: -len(".__init__")]
            try:
                self.mods[name] = Module(name, ast.parse(text))
            except SyntaxError as e:
                sys.exit("analyze.py: %s: %s" % (path, e))
        self.classes = {c.qual: c for m in self.mods.values() for c in m.classes.values()}

    # -- symbol resolution -------------------------------------------------
    def lookup(self, dotted):
        """Resolve a dotted name to a Module, Class, or value node (with its module)."""
        if dotted in self.mods:
            return self.mods[dotted]
        if dotted in self.classes:
            return self.classes[dotted]
        head, _, last = dotted.rpartition(".")
        if not head:
            return None
        h = self.lookup(head)
        return self.member(h, last)

    def member(self, h, last):
        if isinstance(h, Module):
            if last in h.classes:
                return h.classes[last]
            if last in h.assigns:
                v = h.assigns[last]
                if isinstance(v, ast.Call):  # X = _Klass() → the class
                    c = self.resolve(h, v.func)
                    if isinstance(c, Class):
                        return c
                if isinstance(v, (ast.Name, ast.Attribute)):  # alias: X = mod.Klass
                    c = self.resolve(h, v)
                    if isinstance(c, Class):
                        return c
                return (h, v)
            if last in h.imports:
                return self.lookup(h.imports[last])
            sub = h.name + "." + last
            return self.mods.get(sub)
        if isinstance(h, Class):
            for c in self.mro(h):
                if last in c.attrs:
                    return (c.mod, c.attrs[last])
        return None

    def resolve(self, mod, node):
        if isinstance(node, ast.Name):
            if node.id in mod.classes:
                return mod.classes[node.id]
            if node.id in mod.assigns:
                return self.member(mod, node.id)
            if node.id in mod.imports:
                return self.lookup(mod.imports[node.id])
            return None
        if isinstance(node, ast.Attribute):
            h = self.resolve(mod, node.value)
            return self.member(h, node.attr) if h is not None else None
        return None

    def dotted(self, mod, node):
        """The dotted import path a Name/Attribute refers to (for decorators)."""
        if isinstance(node, ast.Name):
            if node.id in mod.imports:
                return mod.imports[node.id]
            return mod.name + "." + node.id
        if isinstance(node, ast.Attribute):
            return self.dotted(mod, node.value) + "." + node.attr
        return ""

    def mro(self, cls):
        out, seen = [], set()

        def visit(c):
            if c.qual in seen:
                return
            seen.add(c.qual)
            out.append(c)
            for b in c.node.bases:
                bc = self.resolve(c.mod, b)
                if isinstance(bc, Class):
                    visit(bc)
        visit(cls)
        return out

    def base_names(self, cls):
        names = []
        for c in self.mro(cls):
            for b in c.node.bases:
                names.append(self.dotted(c.mod, b))
        return names

    # -- evaluation --------------------------------------------------------
    def ev(self, mod, node, env=None):
        env = env or {}
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out = []
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    out.extend(self.ev(mod, e.value, env))
                else:
                    out.append(self.ev(mod, e, env))
            return out
        if isinstance(node, ast.Dict):
            d = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    d.update(self.ev(mod, v, env))
                else:
                    d[self.ev(mod, k, env)] = self.ev(mod, v, env)
            return d
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.ev(mod, node.operand, env)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.ev(mod, node.operand, env)
        if isinstance(node, ast.BoolOp):
            # Python semantics: the deciding operand is the value.
            v = None
            for e in node.values:
                v = self.ev(mod, e, env)
                if bool(v) != isinstance(node.op, ast.And):
                    return v
            return v
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a, b = self.ev(mod, node.left, env), self.ev(mod, node.comparators[0], env)
            op = node.ops[0]
            if isinstance(op, (ast.Eq, ast.NotEq)):
                eq = str(a) == str(b) if isinstance(a, (str, int)) and isinstance(b, (str, int)) else a == b
                return eq if isinstance(op, ast.Eq) else not eq
            if isinstance(op, ast.Is):
                return a is b
            if isinstance(op, ast.IsNot):
                return a is not b
            if isinstance(op, ast.In):
                return a in b
            if isinstance(op, ast.NotIn):
                return a not in b
            raise NotStatic()
        if isinstance(node, ast.BinOp):
            a, b = self.ev(mod, node.left, env), self.ev(mod, node.right, env)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Mod):
                return a % (tuple(b) if isinstance(b, list) else b)
            if isinstance(node.op, ast.Mult):
                return a * b
            raise NotStatic()
        if isinstance(node, ast.JoinedStr):
            s = ""
            for v in node.values:
                if isinstance(v, ast.Constant):
                    s += v.value
                else:
                    s += str(self.ev(mod, v.value, env))
            return s
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            d = {}
            for a in node.args:
                d.update(self.ev(mod, a, env))
            for k in node.keywords:
                if k.arg is None:
                    d.update(self.ev(mod, k.value, env))
                else:
                    d[k.arg] = self.ev(mod, k.value, env)
            return d
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "deepcopy":
            return self.ev(mod, node.args[0], env)
        if isinstance(node, (ast.Name, ast.Attribute)):
            key = ast.unparse(node)
            if key in env:
                return env[key]
            if isinstance(node, ast.Name) and node.id in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.id]
            r = self.resolve(mod, node)
            if isinstance(r, tuple):
                return self.ev(r[0], r[1])
            raise NotStatic(key)
        raise NotStatic(ast.dump(node)[:60])


def jsonable(v):
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, set):
        return sorted((jsonable(x) for x in v), key=repr)
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    return repr(v)


def first_line(doc):
    for line in (doc or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from introspect_docs import param_docs  # noqa: E402  (shared :param parser)


KIND_OF = {"scenario": "scenarios", "context": "contexts", "runner": "runners", "sla": "slas"}


class Analyzer:
    def __init__(self, w):
        self.w = w
        self.service_types = self.load_service_types()
        self.services = self.load_services()
        self.cfg_defaults = self.load_cfg_defaults()

    def load_cfg_defaults(self):
        """rally_openstack.common.cfg option name → default value."""
        out = {}
        for name, m in self.w.mods.items():
            if not name.startswith("rally_openstack.common.cfg"):
                continue
            for n in ast.walk(m.tree):
                if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                        and n.func.attr.endswith("Opt") and n.args
                        and isinstance(n.args[0], ast.Constant)):
                    continue
                for k in n.keywords:
                    if k.arg != "default":
                        continue
                    v = k.value
                    if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id in ("float", "int") and v.args:
                        v = v.args[0]
                    try:
                        out[n.args[0].value] = self.w.ev(m, v)
                    except (NotStatic, Exception):
                        pass
        return out

    def load_service_types(self):
        c = self.w.lookup("rally_openstack.common.consts._ServiceType")
        out = {}
        env = {"self." + a: self.w.ev(c.mod, v) for a, v in c.attrs.items()
               if isinstance(v, ast.Constant)}
        for n in ast.walk(c.methods["__init__"]):
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Dict):
                names = self.w.ev(c.mod, n.value, env)
                for t, s in names.items():
                    out.setdefault(s, t)
        return out

    def load_services(self):
        """Versioned service classes: qual → (service_type, version); compat
        layers: unified class qual → {version: compat class}."""
        self.versioned, self.compat = {}, {}
        for c in self.w.classes.values():
            for d in c.node.decorator_list:
                if not isinstance(d, ast.Call):
                    continue
                name = self.w.dotted(c.mod, d.func)
                if name.endswith("service.service"):
                    kw = {k.arg: self.w.ev(c.mod, k.value) for k in d.keywords}
                    self.versioned[c.qual] = (kw.get("service_type"), str(kw.get("version")))
        for c in self.w.classes.values():
            for d in c.node.decorator_list:
                if isinstance(d, ast.Call) and self.w.dotted(c.mod, d.func).endswith("service.compat_layer"):
                    impl = self.w.resolve(c.mod, d.args[0])
                    if isinstance(impl, Class) and impl.qual in self.versioned:
                        st, ver = self.versioned[impl.qual]
                        for b in self.w.mro(c)[1:]:
                            self.compat.setdefault(b.qual, {})[ver] = (c, impl, st)
        return None

    def client_type(self, c):
        """Service type of an openstacksdk client class (@base.configure(name,
        sdk_service_type=...)); None for other classes."""
        for d in c.node.decorator_list:
            if isinstance(d, ast.Call) and self.w.dotted(c.mod, d.func).endswith("clients.base.configure"):
                for k in d.keywords:
                    if k.arg == "sdk_service_type":
                        return self.w.ev(c.mod, k.value)
                if d.args:
                    t = self.service_types.get(self.w.ev(c.mod, d.args[0]))
                    return {"block-storage": "volume"}.get(t, t)
        return None

    # -- plugins -----------------------------------------------------------
    def configure_of(self, c):
        for d in c.node.decorator_list:
            if isinstance(d, ast.Call):
                name = self.w.dotted(c.mod, d.func)
                parts = name.split(".")
                # rally[_openstack].task.<kind>.configure; not verification
                # contexts (rally.verification.context), which task files
                # cannot use.
                if parts[-1] == "configure" and len(parts) >= 3 and parts[-3] == "task":
                    return parts[-2], parts[0], d
        return None

    def plugins(self):
        out = {k: [] for k in ["scenarios", "contexts", "runners", "slas", "hook_actions", "hook_triggers"]}
        for c in sorted(self.w.classes.values(), key=lambda c: c.qual):
            conf = self.configure_of(c)
            if not conf:
                continue
            kind, top, d = conf
            kw = {}
            for k in d.keywords:
                try:
                    kw[k.arg] = self.w.ev(c.mod, k.value)
                except NotStatic:
                    kw[k.arg] = None
            platform = kw.get("platform") or ("openstack" if top == "rally_openstack" and kind in ("scenario", "context") else "default")
            if kind == "hook":
                bases = " ".join(self.w.base_names(c))
                key = "hook_triggers" if "HookTrigger" in bases else "hook_actions"
            elif kind in KIND_OF:
                key = KIND_OF[kind]
            else:
                continue
            p = {"name": kw.get("name"), "platform": platform, "module": c.mod.name}
            if kw.get("hidden"):
                p["hidden"] = True
            run = self.method(c, "run")
            p["doc"] = first_line(ast.get_docstring(c.node) or (ast.get_docstring(run[1]) if key == "scenarios" and run else ""))
            sch = self.w.member(c, "CONFIG_SCHEMA")
            if sch:
                try:
                    p["schema"] = jsonable(self.w.ev(sch[0], sch[1]))
                except NotStatic as e:
                    p["schema_unresolved"] = str(e)
            if key == "scenarios":
                self.scenario(c, p, kw, run)
            out[key].append(p)
        return out

    def method(self, c, name):
        for k in self.w.mro(c):
            if name in k.methods:
                return k, k.methods[name]
        return None

    def scenario(self, c, p, kw, run):
        p["group"] = p["name"].split(".")[0]
        params, kwargs = [], False
        if run:
            k, f = run
            docs = param_docs(ast.get_docstring(f))
            a = f.args
            pos = a.posonlyargs + a.args
            defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
            allargs = list(zip(pos, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
            for arg, dflt in allargs:
                if arg.arg == "self":
                    continue
                pp = {"name": arg.arg, "required": dflt is None}
                if dflt is not None:
                    try:
                        pp["default"] = jsonable(self.w.ev(k.mod, dflt))
                    except NotStatic:
                        pp["default"] = ast.unparse(dflt)
                if docs.get(arg.arg):
                    pp["doc"] = docs[arg.arg]
                params.append(pp)
            kwargs = a.kwarg is not None
        p["params"], p["kwargs"] = params, kwargs
        # Validators: rally applies decorators bottom-up; configure adds
        # "args-spec" first. Inherited validators (default_meta inherit)
        # come from the bases.
        vals = [{"name": "args-spec"}]
        for d in reversed(c.node.decorator_list):
            if isinstance(d, ast.Call) and self.w.dotted(c.mod, d.func).endswith("validation.add"):
                v = {"name": self.w.ev(c.mod, d.args[0])}
                args = {}
                for k in d.keywords:
                    try:
                        args[k.arg] = jsonable(self.w.ev(c.mod, k.value))
                    except NotStatic:
                        args[k.arg] = ast.unparse(k.value)
                if len(d.args) > 1:
                    args["_args"] = [jsonable(self.w.ev(c.mod, x)) for x in d.args[1:]]
                if args:
                    v["args"] = args
                vals.append(v)
        p["validators"] = vals
        svcs, ctxs = [], []
        for v in vals:
            a = v.get("args", {})
            if v["name"] == "required_services":
                for s in listify(a.get("services")) + listify(a.get("_args")):
                    for s2 in listify(s):
                        if s2 not in svcs:
                            svcs.append(s2)
            elif v["name"] in ("required_contexts", "required_context_config"):
                for x in listify(a.get("contexts")) + listify(a.get("_args")) + listify(a.get("context_name")):
                    for x2 in listify(x):
                        if isinstance(x2, str) and x2 not in ctxs:
                            ctxs.append(x2)
        p["required_services"] = [self.service_types.get(s, s) for s in svcs]
        p["required_contexts"] = ctxs
        parts = c.mod.name.split(".")
        folder = parts[3] if len(parts) > 4 and parts[1:3] == ["task", "scenarios"] else ""
        st = p["required_services"][0] if p["required_services"] else self.service_types.get(folder, "")
        if st:
            p["service_type"] = st
        dc = {}
        for k in reversed(self.w.mro(c)):
            for d in k.node.decorator_list:
                if isinstance(d, ast.Call) and self.w.dotted(k.mod, d.func).endswith("add_default_context"):
                    dc[self.w.ev(k.mod, d.args[0])] = jsonable(self.w.ev(k.mod, d.args[1]))
        if kw.get("context"):
            dc.update(jsonable(kw["context"]))
        if dc:
            p["default_context"] = dc
        if run:
            p["atomics"] = self.atomics(c, run, VERSIONS)
            p["atomic_tree"] = self.tree(c, run, VERSIONS)
            byv, treev = {}, []
            for st_, ver in VARIANTS:
                vv = dict(VERSIONS, **{st_: ver})
                a = self.atomics(c, run, vv)
                if a != p["atomics"]:
                    byv["%s:%s" % (st_, ver)] = a
                t = self.tree(c, run, vv)
                if t != p["atomic_tree"]:
                    treev.append({"version": "%s:%s" % (st_, ver), "tree": t})
            if byv:
                p["atomics_by_version"] = byv
            if treev:
                p["atomic_tree_by_version"] = treev

    # -- atomics -------------------------------------------------------------
    def tree(self, c, run, versions):
        """The atomic action tree the scenario may record: an action timed
        while another is open is its child (Rally's atomic.ActionTimer keeps
        a stack). Every branch that depends on a run() argument is taken,
        since a task may pass any value; a name built from run() arguments
        also gets a glob pattern ("zaqar.post_between_*_and_*_messages")."""
        env = bind_args(self.w, run[0].mod, run[0].mod, run[1], None, {})
        a = run[1].args
        for x in a.posonlyargs + a.args + a.kwonlyargs:
            if x.arg != "self":
                env["soft:" + x.arg] = True
        if a.kwarg:
            env["soft:" + a.kwarg.arg] = True
        roots = []
        Walker(self, versions, [], p_name=c.qual, tree=roots).walk_func(c, run[0], run[1], env, 0)

        def mark(nodes):
            for nd in nodes:
                if nd.pop("_cond", 0) > 0:
                    nd["conditional"] = True
                mark(nd["children"])
        mark(roots)
        return roots

    def atomics(self, c, run, versions):
        out = []
        env = bind_args(self.w, run[0].mod, run[0].mod, run[1], None, {})
        Walker(self, versions, out, p_name=c.qual).walk_func(c, run[0], run[1], env, 0)
        seen, res = set(), []
        for n in out:
            if n not in seen:
                seen.add(n)
                res.append(n)
        return res


def bind_args(w, caller_mod, callee_mod, f, call, env):
    a = f.args
    pos = [x.arg for x in a.posonlyargs + a.args]
    out = {}
    for name, d in zip(pos[len(pos) - len(a.defaults):], a.defaults):
        try:
            out[name] = w.ev(callee_mod, d)
        except Exception:
            pass
    for name, d in zip([x.arg for x in a.kwonlyargs], a.kw_defaults):
        if d is not None:
            try:
                out[name] = w.ev(callee_mod, d)
            except Exception:
                pass
    if call is None:
        return out
    names = pos[1:] if pos and pos[0] == "self" else pos
    for name, arg in zip(names, call.args):
        out.pop(name, None)
        if refs_soft(arg, env):
            out["soft:" + name] = True
            if never_none(arg):
                out["nonnull:" + name] = True
        try:
            out[name] = w.ev(caller_mod, arg, env)
        except Exception:
            pass
    for k in call.keywords:
        if k.arg:
            out.pop(k.arg, None)
            if refs_soft(k.value, env):
                out["soft:" + k.arg] = True
                if never_none(k.value):
                    out["nonnull:" + k.arg] = True
            try:
                out[k.arg] = w.ev(caller_mod, k.value, env)
            except Exception:
                pass
        elif refs_soft(k.value, env) and a.kwarg:
            # f(**kwargs) with the scenario's kwargs: any keyword may be set.
            out["soft:" + a.kwarg.arg] = True
            for name in names + [x.arg for x in a.kwonlyargs]:
                out["soft:" + name] = True
    return out


def never_none(node):
    """Whether an expression cannot be None whatever the arguments it reads:
    a literal, dict(...)/list(...), or `x or <literal>` (run()'s usual
    `router_create_args or {}`)."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return never_none(node.values[-1])
    if isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.JoinedStr)):
        return True
    if isinstance(node, ast.Constant):
        return node.value is not None
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("dict", "list", "tuple", "set", "str", "int"))


def none_test(node, env):
    """The value of `x is None` / `x is not None` for a name bound to an
    expression that cannot be None (never_none), else None."""
    if (isinstance(node, ast.Compare) and len(node.ops) == 1
            and isinstance(node.left, ast.Name) and env.get("nonnull:" + node.left.id)
            and isinstance(node.comparators[0], ast.Constant) and node.comparators[0].value is None
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))):
        return isinstance(node.ops[0], ast.IsNot)
    return None


def refs_soft(node, env):
    """Whether an expression depends on a run() argument (a "soft" name:
    its value is the default only when the task does not pass one)."""
    if node is None:
        return False
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and env.get("soft:" + n.id):
            return True
    return False


def listify(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


class Walker:
    """Follows calls from a method body in source order, recording timers."""

    def __init__(self, an, versions, out, p_name, tree=None):
        self.an, self.w, self.versions, self.out, self.p = an, an.w, versions, out, p_name
        self.stack = set()
        # Open timers: the children list new actions go to.
        self.open = [tree if tree is not None else []]
        self.nodes = [None]  # the open timers' nodes (None: the root)
        # How many undecided conditions the walk is under: an if whose test
        # run()'s code decides at run time (an argument, a context, what the
        # cloud answers), an except handler, the code after an if that may
        # return. An action timed there is conditional: a run may never
        # record it. frames collect, per branch of an undecided if/else,
        # the actions the branch times unconditionally (an action both
        # branches time is no more conditional than the if itself).
        self.cond = 0
        self.frames = []

    def enter(self, name, pattern=None):
        self.out.append(name)
        siblings = self.open[-1]
        for nd in siblings:
            if nd["name"] == name:
                break
        else:
            nd = {"name": name, "children": []}
            if pattern:
                nd["pattern"] = pattern
            siblings.append(nd)
        self.timed(nd, self.cond)
        self.open.append(nd["children"])
        self.nodes.append(nd)

    def timed(self, nd, level):
        """Notes that nd is timed under level undecided conditions: an
        action is as conditional as its least conditional timing."""
        nd["_cond"] = min(nd.get("_cond", level), level)
        for lv, seen in self.frames:
            if lv == level:
                seen[id(nd)] = nd

    def branches(self, cls, defn, bodies, env, depth):
        """Walks the branches of an undecided condition (each from the same
        env); the walk_body result of each."""
        outer = self.cond
        self.cond += 1
        results, seen = [], []
        for b in bodies:
            self.frames.append((self.cond, {}))
            results.append(self.walk_body(cls, defn, b, env, depth))
            seen.append(self.frames.pop()[1])
        self.cond -= 1
        if len(seen) == 2:
            for k in seen[0].keys() & seen[1].keys():
                self.timed(seen[0][k], outer)
        return results

    def leave(self):
        self.open.pop()
        self.nodes.pop()

    def note_timeout(self, call):
        """A poll inside an open timer (wait_for_status(...,
        timeout=CONF.openstack.X)) bounds how long that action may take:
        the option's default is recorded on the innermost open action."""
        nd = self.nodes[-1]
        if nd is None:
            return
        for k in call.keywords:
            if k.arg != "timeout":
                continue
            src = ast.unparse(k.value)
            if src.startswith("CONF.openstack."):
                d = self.an.cfg_defaults.get(src[len("CONF.openstack."):])
                if isinstance(d, (int, float)) and d > nd.get("timeout", 0):
                    nd["timeout"] = d

    def timer(self, cls, defn, node, env):
        """Opens the timer named by node; False when its name is unknown."""
        n = self.name_of(cls, defn, node, env)
        if not n:
            return False
        self.enter(n, self.pattern_of(defn, node, env))
        return True

    def pattern_of(self, defn, node, env):
        """A glob of the name when run() arguments shape it: each soft name
        evaluated as a placeholder that becomes "*"."""
        if not refs_soft(node, env):
            return None
        mark = "\x00"
        penv = dict(env)
        for k in env:
            if k.startswith("soft:"):
                penv[k[5:]] = mark
        try:
            v = self.w.ev(defn.mod, node, penv)
        except (NotStatic, Exception):
            return None
        if not isinstance(v, str) or mark not in v or not v.replace(mark, ""):
            return None  # a name chosen whole by an argument: no pattern
        return v.replace(mark, "*")

    def self_env(self, cls):
        env = {}
        ver = None
        for k in self.w.mro(cls):
            if k.qual in self.an.versioned:
                ver = self.an.versioned[k.qual][1]
                break
        if not ver:
            for k in self.w.mro(cls):
                st = self.an.client_type(k)
                if st:
                    ver = self.versions.get(st)
                    break
        if ver:
            env["self.version"] = ver
        for k in self.w.mro(cls):
            for a, v in k.attrs.items():
                try:
                    env.setdefault("self." + a, self.w.ev(k.mod, v))
                except (NotStatic, Exception):
                    pass
        return env

    def name_of(self, cls, defn, node, env):
        try:
            v = self.w.ev(defn.mod, node, env)
            if isinstance(v, str):
                return v
        except (NotStatic, Exception):
            pass
        UNRESOLVED.add("%s: %s (%s)" % (defn.qual, ast.unparse(node), self.p))
        return None

    def walk_func(self, cls, defn, f, env, depth):
        key = (cls.qual, defn.qual, f.name, tuple(sorted(self.versions.items())))
        if key in self.stack or depth > 12:
            return
        self.stack.add(key)
        env = dict(self.self_env(cls), **env)
        opened = 0
        for d in f.decorator_list:
            if isinstance(d, ast.Call) and self.w.dotted(defn.mod, d.func).endswith("atomic.action_timer"):
                opened += self.timer(cls, defn, d.args[0], env)
        self.types = getattr(self, "types", {})
        self.walk_body(cls, defn, f.body, env, depth)
        for _ in range(opened):
            self.leave()
        self.stack.discard(key)

    def walk_body(self, cls, defn, body, env, depth):
        """Walks statements; True when the body surely returns or raises
        (so `if self.version == "2": ... return` hides the v3 path),
        "raise" when it surely raises, "maybe" when it may return early (an
        undecided if that returns): what follows such a statement runs
        under that condition. A branch that raises ends the iteration in
        failure: it makes nothing after it conditional for a run that
        succeeds."""
        bumped = 0
        try:
            for st in body:
                r = self.walk_stmt(cls, defn, st, env, depth)
                if r == "maybe":
                    self.cond += 1
                    bumped += 1
                elif r:
                    return r
            return "maybe" if bumped else False
        finally:
            self.cond -= bumped

    def walk_stmt(self, cls, defn, st, env, depth):
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            if refs_soft(st.value, env):
                env["soft:" + st.targets[0].id] = True
                env.pop("nonnull:" + st.targets[0].id, None)
                if never_none(st.value):
                    env["nonnull:" + st.targets[0].id] = True
            try:
                env[st.targets[0].id] = self.w.ev(defn.mod, st.value, env)
            except (NotStatic, Exception):
                t = self.type_of(cls, defn, st.value, env)
                if t:
                    env["type:" + st.targets[0].id] = t
        if isinstance(st, ast.If):
            try:
                cond = bool(self.w.ev(defn.mod, st.test, env))
            except (NotStatic, Exception):
                cond = None
            if refs_soft(st.test, env):
                # The task decides (both branches may run), unless no
                # argument can make the test go the other way.
                cond = none_test(st.test, env)
            self.visit_expr(cls, defn, st.test, env, depth)
            if cond is True:
                return self.walk_body(cls, defn, st.body, env, depth)
            if cond is False:
                return self.walk_body(cls, defn, st.orelse, env, depth)
            a, b = self.branches(cls, defn, [st.body, st.orelse], env, depth)
            if a and b and a != "maybe" and b != "maybe" and st.orelse:
                return "raise" if a == b == "raise" else True
            return "maybe" if a in (True, "maybe") or b in (True, "maybe") else False
        if isinstance(st, (ast.With, ast.AsyncWith)):
            opened = 0
            for it in st.items:
                e = it.context_expr
                if isinstance(e, ast.Call):
                    fn = self.w.dotted(defn.mod, e.func)
                    if fn.endswith("atomic.ActionTimer") and len(e.args) >= 2:
                        opened += self.timer(cls, defn, e.args[1], env)
                        continue
                    if isinstance(e.func, ast.Attribute) and e.func.attr == "_atomic_action" and e.args:
                        opened += self.timer(cls, defn, e.args[0], env)
                        continue
                self.visit_expr(cls, defn, e, env, depth)
            r = self.walk_body(cls, defn, st.body, env, depth)
            for _ in range(opened):
                self.leave()
            return r
        if isinstance(st, (ast.For, ast.AsyncFor, ast.While)):
            self.visit_expr(cls, defn, getattr(st, "iter", None) or st.test, env, depth)
            self.walk_body(cls, defn, st.body, env, depth)
            self.walk_body(cls, defn, st.orelse, env, depth)
            return
        if isinstance(st, ast.Try):
            self.walk_body(cls, defn, st.body, env, depth)
            # A handler runs only when the call above it failed.
            self.cond += 1
            for h in st.handlers:
                self.walk_body(cls, defn, h.body, env, depth)
            self.cond -= 1
            self.walk_body(cls, defn, st.orelse, env, depth)
            self.walk_body(cls, defn, st.finalbody, env, depth)
            return
        if isinstance(st, (ast.FunctionDef, ast.ClassDef)):
            return False
        self.visit_expr(cls, defn, st, env, depth)
        if isinstance(st, ast.Raise):
            return "raise"
        return isinstance(st, ast.Return)

    def compare(self, defn, node, env):
        if len(node.ops) != 1:
            return None
        a = self.w.ev(defn.mod, node.left, env)
        b = self.w.ev(defn.mod, node.comparators[0], env)
        op = node.ops[0]
        if isinstance(op, ast.Eq):
            return str(a) == str(b)
        if isinstance(op, ast.NotEq):
            return str(a) != str(b)
        if isinstance(op, ast.In):
            return a in b
        return None

    def visit_expr(self, cls, defn, node, env, depth):
        # Calls in evaluation order: arguments before the call itself.
        calls = []

        class V(ast.NodeVisitor):
            def visit_Call(s, n):
                s.generic_visit(n)
                calls.append(n)

            def visit_Lambda(s, n):
                # A lambda handed to a poller (update_resource=lambda r:
                # self.show(r["id"])) runs inside the caller's open timer.
                s.generic_visit(n)
            def visit_Attribute(s, n):
                s.generic_visit(n)
                if isinstance(n.value, ast.Name) and n.value.id == "self" and id(n) not in funcs:
                    m = an.method(cls, n.attr)
                    if m and not any(isinstance(d, ast.Name) and d.id == "property" or
                                     isinstance(d, ast.Attribute) and d.attr == "cached_property"
                                     for d in m[1].decorator_list):
                        calls.append(ast.Call(func=n, args=[], keywords=[]))
        an = self.an
        funcs = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
        V().visit(node)
        for call in calls:
            self.note_timeout(call)
            self.follow(cls, defn, call, env, depth)

    def type_of(self, cls, defn, node, env):
        """The class an expression builds: X(...) where X is a class."""
        if isinstance(node, ast.Call):
            r = self.w.resolve(defn.mod, node.func)
            if isinstance(r, Class):
                return r
        if isinstance(node, ast.Name) and ("type:" + node.id) in env:
            return env["type:" + node.id]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return self.attr_type(cls, node.attr)
        if isinstance(node, ast.Attribute):
            owner = self.type_of(cls, defn, node.value, env)
            if owner:
                return self.attr_type(owner, node.attr)
        return None

    def attr_type(self, cls, attr):
        """Type of self.<attr>: from `self.attr = Klass(...)` anywhere in the MRO,
        or a property returning Klass(...)."""
        for k in self.w.mro(cls):
            for n in ast.walk(k.node):
                if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == attr:
                    ann = n.annotation
                    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
                        ann = ast.parse(ann.value, mode="eval").body
                    r = self.w.resolve(k.mod, ann)
                    if isinstance(r, Class):
                        return r
        for k in self.w.mro(cls):
            for f in k.methods.values():
                for n in ast.walk(f):
                    if isinstance(n, ast.Assign) and len(n.targets) == 1:
                        t = n.targets[0]
                        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self" and t.attr == attr:
                            r = self.type_of(k, k, n.value, {})
                            if r:
                                return r
        return None

    def follow(self, cls, defn, call, env, depth):
        f = call.func
        if not isinstance(f, ast.Attribute):
            return
        recv = f.value
        # self.method(...)
        if isinstance(recv, ast.Name) and recv.id == "self":
            m = self.an.method(cls, f.attr)
            if m:
                self.walk_func(cls, m[0], m[1], self.bind(defn, m, call, env), depth + 1)
            return
        # self._impl.method(...) inside a unified service → compat layer
        if isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name) and recv.value.id == "self" and recv.attr == "_impl":
            target = self.impl_of(cls)
            if target:
                m = self.an.method(target, f.attr)
                if m:
                    self.walk_func(target, m[0], m[1], self.bind(defn, m, call, env), depth + 1)
            return
        t = self.type_of(cls, defn, recv, env)
        if t:
            m = self.an.method(t, f.attr)
            if m:
                self.walk_func(t, m[0], m[1], self.bind(defn, m, call, env), depth + 1)

    def bind(self, defn, m, call, env):
        """Static values of the callee's parameters: its defaults, overridden
        by the caller's arguments where those are known."""
        return bind_args(self.w, defn.mod, m[0].mod, m[1], call, env)

    def impl_of(self, cls):
        """The class self._impl is for cls at the chosen API version: a
        unified service → its compat layer; a compat layer → the versioned
        service it wraps."""
        for k in self.w.mro(cls):
            for d in k.node.decorator_list:
                if isinstance(d, ast.Call) and self.w.dotted(k.mod, d.func).endswith("service.compat_layer"):
                    r = self.w.resolve(k.mod, d.args[0])
                    if isinstance(r, Class):
                        return r
        for k in self.w.mro(cls):
            layers = self.an.compat.get(k.qual)
            if layers:
                st = next(iter(layers.values()))[2]
                want = self.versions.get(st) or self.versions.get({"block-storage": "volume"}.get(st, st))
                if want in layers:
                    return layers[want][0]
                return layers[max(layers)][0]
        return None


class ZuulLoader(yaml.SafeLoader):
    """Safe loader that keeps Zuul's !encrypted/... secrets as opaque strings."""


ZuulLoader.add_multi_constructor("!", lambda loader, suffix, node: "<%s>" % suffix)


def task_scenario_args(text):
    """Scalar arguments each scenario gets in a rally-jobs task file (v1 or
    v2), rendered with its Jinja2 header defaults as Rally would without
    task args: {scenario: {arg: value}} (the first workload's)."""
    import jinja2
    try:
        data = yaml.safe_load(jinja2.Template(text).render())
    except Exception:
        return {}
    out = {}

    def add(name, args):
        if isinstance(args, dict) and name not in out:
            out[name] = {k: v for k, v in args.items()
                         if isinstance(v, (str, int, float, bool))}

    def workload(w):
        sc = w.get("scenario") if isinstance(w, dict) else None
        if isinstance(sc, dict) and len(sc) == 1:
            (name, args), = sc.items()
            add(name, args)

    if isinstance(data, dict) and "subtasks" in data:
        for st in data.get("subtasks") or []:
            if not isinstance(st, dict):
                continue
            workload(st)
            for w in st.get("workloads") or []:
                workload(w)
    elif isinstance(data, dict):
        for name, ws in data.items():
            for w in ws if isinstance(ws, list) else []:
                if isinstance(w, dict):
                    add(name, w.get("args") or {})
    return out


def zuul_pipelines(src):
    """job name → {pipeline: voting} from rally-openstack's project stanzas."""
    out = {}
    for path in sorted(src.zuul):
        try:
            data = yaml.load(src.zuul[path], Loader=ZuulLoader) or []
        except yaml.YAMLError as e:
            sys.exit("analyze.py: %s: %s" % (path, e))
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("project"), dict):
                continue
            for pipe, v in item["project"].items():
                if not isinstance(v, dict) or not isinstance(v.get("jobs"), list):
                    continue
                for e in v["jobs"]:
                    name, voting = e, True
                    if isinstance(e, dict) and len(e) == 1:
                        (name, cfg), = e.items()
                        voting = not (isinstance(cfg, dict) and cfg.get("voting") is False)
                    if isinstance(name, str):
                        out.setdefault(name, {})[pipe] = voting
    return out


def zuul_jobs(src):
    jobs = []
    pipes = zuul_pipelines(src)
    for path in sorted(src.zuul):
        try:
            data = yaml.load(src.zuul[path], Loader=ZuulLoader) or []
        except yaml.YAMLError as e:
            sys.exit("analyze.py: %s: %s" % (path, e))
        for item in data:
            if not isinstance(item, dict) or "job" not in item:
                continue
            j = item["job"]
            out = {"name": j.get("name"), "file": path}
            if j.get("parent"):
                out["parent"] = j["parent"]
            if j.get("abstract"):
                out["abstract"] = True
            v = j.get("vars") or {}
            if v.get("rally_task"):
                out["rally_task"] = v["rally_task"]
                if v["rally_task"] in src.tasks:
                    args = task_scenario_args(src.tasks[v["rally_task"]])
                    if args:
                        out["task_args"] = args
            if out["name"] in pipes:
                out["pipelines"] = [{"name": k, "voting": x} for k, x in sorted(pipes[out["name"]].items())]
            if v:
                out["vars"] = jsonable(v)
            jobs.append(out)
    return jobs


def main():
    src = Src(sys.argv[1:])
    w = World(src)
    an = Analyzer(w)
    out = an.plugins()
    out["commit"] = src.commit
    out["zuul_jobs"] = zuul_jobs(src)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    counts = {k: len(v) for k, v in out.items() if isinstance(v, list)}
    print("analyze.py: %s" % counts, file=sys.stderr)
    for u in sorted(UNRESOLVED):
        print("analyze.py: unresolved atomic name: %s" % u, file=sys.stderr)


if __name__ == "__main__":
    main()
