"""Lowering (first of all): inline the calls of helpers that write into the caller's arrays.

Most Numba code is organised around helpers that fill arrays the caller allocated:
`recursion(params, data, sigma2)` called as a statement to fill `sigma2`, or `step(alphas[t], x)`
filling one row. Such a call changes the caller's state, so it is not a function of its
arguments that could get a derivative of its own (a pure helper, which only reads its
arguments, still does: see `reverse._helper_call`). Its body is inlined at the call, after
which the caller's own machinery (stores into arrays, loops, tapes) differentiates it:

* the helper's locals get fresh names; a parameter the helper never rebinds becomes the
  caller's argument itself: an array `a` by name, a view `alphas[t]` (integers and full
  slices) by substitution, so that `p[j] = v` becomes `alphas[t, j] = v` and `p.shape[0]`
  becomes `alphas.shape[1]`; any other argument is bound by an assignment;
* the helper's `return`s are lowered to a result variable (see `returns`), which replaces
  the call in the caller's statement;
* helpers called inside the helper are handled the same way, recursively (a recursive
  helper is an UnsupportedError);
* inlined statements carry *virtual* line numbers, which `Location` maps back to the
  helper's file and line, for comments in generated code and for error messages.

Takes the parsed caller (before `normalize`); guarantees that no call of a user function is
left as a statement and no call of a helper that writes into its arguments is left at all.
"""
import copy

import gast

from ..naming import Namer, all_names
from ..resolve import Resolver, local_names

MAX_DEPTH = 16


class _ScratchOrigins:
    """`lower_returns` registers the statements it makes; the caller tags them again later."""

    def add(self, stmt):
        pass


def inline_helpers(fdef, func, location, namer, resolver):
    """Inline, in place, every call in `fdef` that must be inlined (see the module docstring)."""
    _Inliner(location, namer, resolver, [func]).body_of(fdef)
    resolver.refresh_locals(fdef)


class _Inliner:
    def __init__(self, location, namer, resolver, stack):
        self.location, self.namer, self.resolver, self.stack = location, namer, resolver, stack

    # -- finding the calls
    def body_of(self, fdef):
        fdef.body = self.statements(fdef.body)

    def statements(self, body):
        out = []
        for stmt in body:
            for field in ("body", "orelse"):
                if isinstance(getattr(stmt, field, None), list):
                    setattr(stmt, field, self.statements(getattr(stmt, field)))
            out.extend(self.statement(stmt))
        return out

    def statement(self, stmt):
        if isinstance(stmt, (gast.If, gast.While, gast.For)):
            header = stmt.test if not isinstance(stmt, gast.For) else stmt.iter
            for call, _ in self.calls_to_inline(header, False):
                raise self.location.unsupported(
                    call, "call", f"{_name(call)} writes into its arguments and is called in the header of "
                                  "a loop or branch; call it in a statement of its own before")
            return [stmt]
        is_call_statement = isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call)
        calls = self.calls_to_inline(stmt, is_call_statement)
        if not calls:
            return [stmt]
        before = []
        for call, helper in calls:
            statements, result = self.inline(call, helper, stmt, used=not (is_call_statement and
                                                                              call is stmt.value))
            before += statements
            _replace(stmt, call, result)
        if is_call_statement and any(call is stmt.value for call, _ in calls):
            return before
        return before + [stmt]

    def calls_to_inline(self, node, is_call_statement):
        """The calls under `node` that must be inlined, innermost first (evaluation order)."""
        found = []

        class Visit(gast.NodeVisitor):
            def visit_Call(inner, call):
                inner.generic_visit(call)
                helper = self.user_helper(call)
                if helper is not None and (self.writes_into_arguments(helper) or
                                           (is_call_statement and call is getattr(node, "value", None))):
                    found.append((call, helper))
        Visit().visit(node)
        return found

    def user_helper(self, call):
        from ..helpers import user_function
        from ..rules import lookup
        if not self.resolver.is_global_ref(call.func):
            return None
        try:
            value = self.resolver.value_of(call.func)
        except Exception:
            return None
        helper = user_function(value)
        if helper is None or lookup(value) is not None:
            return None                       # a rule the user registered: the body is never read
        return helper

    def writes_into_arguments(self, helper, seen=None):
        """Does `helper` store into an array passed to it, itself or through helpers it calls?"""
        seen = set() if seen is None else seen
        if helper in _WRITES:
            return _WRITES[helper]
        if helper in seen:
            return False
        seen.add(helper)
        from ..parsing import parse_function
        try:
            hdef, hlocation = parse_function(helper)
        except Exception:
            return False                      # reported where the helper is differentiated
        params = {a.id for a in hdef.args.args}
        writes = False
        for node in gast.walk(hdef):
            if isinstance(node, (gast.Assign, gast.AugAssign)):
                targets = node.targets if isinstance(node, gast.Assign) else [node.target]
                for target in targets:
                    for part in gast.walk(target):
                        if isinstance(part, gast.Subscript) and _base_name(part) in params:
                            writes = True
                if isinstance(node, gast.AugAssign) and isinstance(node.target, gast.Name) and \
                        node.target.id in params:
                    writes = True            # `a += e` on an array parameter updates it in place
            elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Call):
                writes = writes or self._calls_writer(node.value, helper, hdef, hlocation, seen)
            if isinstance(node, gast.Call) and any(isinstance(a, gast.Name) and a.id in params
                                                   for a in node.args):
                writes = writes or self._calls_writer(node, helper, hdef, hlocation, seen)
        _WRITES[helper] = writes
        return writes

    def _calls_writer(self, call, helper, hdef, hlocation, seen):
        inner = _Inliner(hlocation, None, Resolver(helper, hdef, hlocation), self.stack)
        callee = inner.user_helper(call)
        return callee is not None and inner.writes_into_arguments(callee, seen)

    # -- inlining one call
    def inline(self, call, helper, stmt, used):
        from ..parsing import parse_function
        from ..subset import check_subset
        from .returns import ends_with_return, lower_returns
        if helper in self.stack or len(self.stack) > MAX_DEPTH:
            raise self.location.unsupported(call, "recursion",
                                            f"{helper.__name__} calls itself and writes into its arguments; "
                                            "recursive helpers that fill arrays cannot be inlined")
        hdef, hlocation = parse_function(helper)
        check_subset(hdef, hlocation, needs_return=False)
        hresolver = Resolver(helper, hdef, hlocation)
        hnamer = Namer(all_names(hdef) | self.namer.taken)
        _Inliner(hlocation, hnamer, hresolver, self.stack + [helper]).body_of(hdef)
        hresolver.refresh_locals(hdef)
        body = hdef.body
        has_return = any(isinstance(n, gast.Return) for n in gast.walk(hdef))
        if has_return:
            if not ends_with_return(body):
                raise hlocation.unsupported(body[-1], "return",
                                            f"{helper.__name__} returns a value on some paths only")
            body = lower_returns(body, hnamer, _ScratchOrigins())
        elif used:
            raise self.location.unsupported(call, "call", f"{helper.__name__} returns nothing, "
                                                          "but its result is used")
        args = self.bind(call, helper, hdef)
        mapping, views, before = self.parameters(hdef, args, body, stmt)
        mapping.update(self.import_globals(body, hdef, hresolver))
        for name_ in sorted(local_names(hdef) - set(mapping) - set(views)):
            mapping[name_] = self.namer.fresh(name_)
        body = [_Substitute(mapping, views).visit(s) for s in body]
        self.namer.taken |= set(mapping.values())
        self.relocate(body, helper, hlocation)
        result = None
        if has_return:
            final = body.pop()
            if used:
                result = self.namer.fresh(f"{helper.__name__}_result")
                body.append(gast.copy_location(
                    gast.Assign(targets=[_store(result)], value=final.value, type_comment=None), final))
        return before + body, result

    def bind(self, call, helper, hdef):
        """The helper's parameters, each with the argument expression the call passes."""
        params = [a.id for a in hdef.args.args]
        if any(isinstance(a, gast.Starred) for a in call.args):
            raise self.location.unsupported(call, "call", f"star-arguments to {helper.__name__} are not supported")
        bound = dict(zip(params, call.args))
        if len(call.args) > len(params):
            raise self.location.unsupported(call, "call", f"{helper.__name__} takes {len(params)} argument(s), "
                                                          f"the call passes {len(call.args)}")
        for keyword in call.keywords:
            if keyword.arg not in params or keyword.arg in bound:
                raise self.location.unsupported(call, "call",
                                                f"{helper.__name__} has no parameter {keyword.arg!r} to pass by "
                                                "keyword" if keyword.arg not in params else
                                                f"{keyword.arg!r} is passed twice to {helper.__name__}")
            bound[keyword.arg] = keyword.value
        defaults = dict(zip(params[len(params) - len(hdef.args.defaults):], hdef.args.defaults))
        for p in params:
            if p not in bound:
                if p not in defaults:
                    raise self.location.unsupported(call, "call",
                                                    f"the call of {helper.__name__} passes no {p!r}")
                bound[p] = copy.deepcopy(defaults[p])
        return [(p, bound[p]) for p in params]

    def parameters(self, hdef, args, body, stmt):
        """How each parameter is bound: renamed to the caller's array, a view, or assigned."""
        rebound = {n.id for s in body for n in gast.walk(s)
                   if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        updated = {s.target.id for s in _walk_statements(body) if isinstance(s, gast.AugAssign)
                   and isinstance(s.target, gast.Name)}
        assigned = rebound - updated | {n.id for s in _walk_statements(body) if isinstance(s, gast.Assign)
                                        for t in s.targets for n in gast.walk(t)
                                        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        mapping, views, before = {}, {}, []
        for p, arg in args:
            if p not in rebound and isinstance(arg, gast.Name) and arg.id in self.resolver.locals:
                mapping[p] = arg.id
                continue
            function = _function_argument(arg, self.resolver)
            if p not in rebound and function is not None:
                # a function passed in (`fill(f=np.sin, ...)`): the body calls it by a global name
                if isinstance(arg, gast.Name):
                    mapping[p] = arg.id
                else:
                    stem = getattr(function, "__name__", None)
                    mapping[p] = self.namer.fresh(stem if isinstance(stem, str) and stem.isidentifier() else p)
                    self.resolver.bind(mapping[p], function)
                continue
            view = _view_parts(arg, self.resolver) if p not in rebound else None
            if view is not None:
                base, parts = view
                frozen = []
                for part in parts:
                    if isinstance(part, (gast.Slice, gast.Constant)) or \
                            (isinstance(part, gast.Name) and part.id in self.resolver.locals):
                        frozen.append(part)
                        continue
                    index = self.namer.fresh(f"{p}_index")
                    before.append(gast.copy_location(
                        gast.Assign(targets=[_store(index)], value=part, type_comment=None), stmt))
                    frozen.append(_load(index))
                views[p] = (base, frozen)
                continue
            fresh = self.namer.fresh(p)
            mapping[p] = fresh
            binding = gast.copy_location(gast.Assign(targets=[_store(fresh)], value=arg, type_comment=None), stmt)
            if p not in assigned and isinstance(arg, gast.Name) and arg.id in self.resolver.locals:
                # only updated (`p /= g`): in place if an array, a new value if a float; which
                # one is known once types are (`resolve_parameter_bindings`)
                setattr(binding, PARAMETER_BINDING, True)
            before.append(binding)
        return mapping, views, before

    def import_globals(self, body, hdef, hresolver):
        """The helper's global names, as the caller's: {name: name in the caller's code}.

        A name that means something else in the caller's module (`abs` imported from NumPy
        there, a helper of the helper's module, a constant) gets a fresh global name bound to
        the helper's object, so the inlined code keeps the helper's meaning."""
        locals_ = local_names(hdef)
        renamed = {}
        for node in (n for stmt in body for n in gast.walk(stmt)):
            if not (isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load)) or node.id in locals_ \
                    or node.id in renamed:
                continue
            mine = hresolver.namespace.get(node.id, _MISSING)
            if mine is _MISSING:
                continue                      # reported as an undefined name later
            theirs = self.resolver.namespace.get(node.id, _MISSING)
            if theirs is mine and node.id not in self.resolver.locals:
                continue
            fresh = self.namer.fresh(node.id)
            self.resolver.bind(fresh, mine)
            renamed[node.id] = fresh
        return renamed

    def relocate(self, body, helper, hlocation):
        """Give the inlined statements virtual line numbers that map back to the helper's lines."""
        for stmt in body:
            for node in gast.walk(stmt):
                line = getattr(node, "lineno", None)
                if line is not None:
                    node.lineno = self.location.virtual_line(hlocation, line, helper.__name__)
                if getattr(node, "end_lineno", None) is not None:
                    node.end_lineno = node.lineno


_MISSING = object()
_WRITES = {}
PARAMETER_BINDING = "s2sad_parameter_binding"


def resolve_parameter_bindings(body, types, origins):
    """After type inference: a parameter bound by `p_2 = a` and only updated (`p_2 /= g`)
    is the caller's array itself when `a` is an array (NumPy updates it in place), so the
    binding goes and `p_2` is renamed `a`; for a float the binding stays (a copy)."""
    renamed = {}

    def visit(statements):
        out = []
        for stmt in statements:
            for field in ("body", "orelse"):
                if isinstance(getattr(stmt, field, None), list):
                    setattr(stmt, field, visit(getattr(stmt, field)))
            if getattr(stmt, PARAMETER_BINDING, False) and isinstance(types.get(stmt.value.id), tuple) \
                    and type(types.get(stmt.value.id)).__name__ == "Array":
                renamed[stmt.targets[0].id] = stmt.value.id
                continue
            out.append(stmt)
        return out
    body = visit(body)
    if renamed:
        for tree in list(body) + list(origins.statements):
            for node in gast.walk(tree):
                if isinstance(node, gast.Name) and node.id in renamed:
                    node.id = renamed[node.id]
    return body


def _function_argument(arg, resolver):
    """The function a global reference passed as an argument denotes, else None."""
    if not (isinstance(arg, (gast.Name, gast.Attribute)) and resolver.is_global_ref(arg)):
        return None
    try:
        value = resolver.value_of(arg)
    except Exception:
        return None
    return value if callable(value) and not isinstance(value, type) else None


def _walk_statements(body):
    for stmt in body:
        yield stmt
        for field in ("body", "orelse"):
            yield from _walk_statements(getattr(stmt, field, None) or [])


def _name(call):
    func = call.func
    return func.id if isinstance(func, gast.Name) else getattr(func, "attr", "the helper")


def _base_name(subscript):
    node = subscript
    while isinstance(node, gast.Subscript):
        node = node.value
    return node.id if isinstance(node, gast.Name) else None


def _view_parts(arg, resolver):
    """(base array name, index parts) for `a[i]`, `a[i, :]`, `a[:, j]`: integers and full slices."""
    if not (isinstance(arg, gast.Subscript) and isinstance(arg.value, gast.Name)
            and arg.value.id in resolver.locals):
        return None
    parts = list(arg.slice.elts) if isinstance(arg.slice, gast.Tuple) else [arg.slice]
    for part in parts:
        if isinstance(part, gast.Slice):
            if part.lower is not None or part.upper is not None or part.step is not None:
                return None
        elif isinstance(part, gast.Constant) and (part.value is None or part.value is Ellipsis) or \
                isinstance(part, gast.Starred):
            return None
    # `a[t]` is a row of a 2-D `a` or an element of a 1-D one: the same substitution serves
    return arg.value.id, parts


class _Substitute(gast.NodeTransformer):
    """Rename the helper's locals; replace view parameters by the caller's array and index."""

    def __init__(self, mapping, views):
        self.mapping, self.views = mapping, views

    def visit_Name(self, node):
        if node.id in self.views:
            base, parts = self.views[node.id]
            return gast.Subscript(value=_load(base), slice=_tuple(copy.deepcopy(parts)), ctx=node.ctx)
        if node.id in self.mapping:
            node.id = self.mapping[node.id]
        return node

    def visit_Subscript(self, node):
        inner = node.value
        if isinstance(inner, gast.Name) and inner.id in self.views:
            base, parts = self.views[inner.id]
            index = self.visit(node.slice)
            given = list(index.elts) if isinstance(index, gast.Tuple) else [index]
            composed = []
            for part in parts:
                if isinstance(part, gast.Slice) and given:
                    composed.append(given.pop(0))
                else:
                    composed.append(copy.deepcopy(part))
            composed += given                          # indices of the axes after the view's
            return gast.copy_location(gast.Subscript(value=_load(base), slice=_tuple(composed), ctx=node.ctx), node)
        if isinstance(inner, gast.Attribute) and inner.attr == "shape" and isinstance(inner.value, gast.Name) \
                and inner.value.id in self.views and isinstance(node.slice, gast.Constant):
            base, parts = self.views[inner.value.id]
            axes = [k for k, p in enumerate(parts) if isinstance(p, gast.Slice)]
            if isinstance(node.slice.value, int) and node.slice.value >= 0:
                k = node.slice.value
                axis = axes[k] if k < len(axes) else len(parts) + k - len(axes)
                return gast.Subscript(value=gast.Attribute(value=_load(base), attr="shape", ctx=gast.Load()),
                                      slice=gast.Constant(value=axis, kind=None), ctx=gast.Load())
        return self.generic_visit(node)


def _tuple(parts):
    return parts[0] if len(parts) == 1 else gast.Tuple(elts=parts, ctx=gast.Load())


def _replace(stmt, old, new_name):
    """Replace the call node `old` inside `stmt` by a read of `new_name` (None: drop nothing)."""
    if new_name is None:
        return

    class Replace(gast.NodeTransformer):
        def visit_Call(self, node):
            if node is old:
                return _load(new_name)
            return self.generic_visit(node)
    Replace().visit(stmt)


def _load(name):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _store(name):
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)
