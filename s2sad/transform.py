"""The pipeline: parse -> check subset -> normalise -> infer types -> activity -> reverse -> emit.

`derive(func, wrt, arg_types)` returns a `Derivative`: the generated source and what the
caller needs to call it (the parameter layout and which tapes it uses).
`derive_tangent(func, wrt, arg_types)` runs the same front end, then the forward-mode
transform instead of the reverse one: `f_jvp(params..., tangents of wrt...)` returns the
value and its tangent.
"""
from dataclasses import dataclass, field

import gast

from . import rules
from .activity import Activity
from .aliasing import check_aliasing, parameters_written
from .codegen import comment, render, stmt
from .errors import NonDifferentiableError, WrtError
from .naming import Namer, all_names, rename_locals
from .numba_support import numba_obstacles
from .normalize import normalize
from .dead_stores import drop_dead_adjoint_stores
from .normalize.inline import inline_helpers, resolve_parameter_bindings
from .normalize.ellipsis import lower_ellipsis
from .normalize.inplace import lower_inplace_updates
from .normalize.statements import resolve_imports
from .normalize.split_names import split_names
from .parsing import parse_function, python_function
from .resolve import Resolver
from .subset import check_call_statements, check_subset
from .forward import ForwardTransform
from .reverse import TAPES, ReverseTransform
from .types import BOOL, FLOAT, INT, Array, TupleType, infer_types, is_real

from .runtime import NAMES as _RUNTIME_HELPERS

RUNTIME_NAMES = ("np", "math") + _RUNTIME_HELPERS


@dataclass
class Derivative:
    name: str               # name of the generated function
    source: str             # its source code
    params: list            # the primal's parameters
    wrt: list               # differentiated parameter names
    wrt_arrays: list        # those passed an adjoint buffer (arrays)
    tapes: list             # tapes used, in signature order
    func: object            # the primal Python function
    result_type: object
    helper: bool = False    # a helper's derivative: takes tape tops, returns no value
    dependencies: dict = field(default_factory=dict)   # name -> Derivative of helpers it calls
    # a helper that stores into an array argument: the error to raise where a caller's
    # reverse sweep would call its derivative (vjp may still call it directly)
    call_error: object = None
    written_parameters: set = field(default_factory=set)   # array parameters it may store into
    numba_obstacles: list = field(default_factory=list)    # UnsupportedErrors for jit=True (numba_support)
    # global names the generated code needs beyond the primal's globals: function-local imports,
    # specialised copies of helpers (see normalize.calls)
    namespace: dict = field(default_factory=dict)


def normalise_wrt(func, wrt):
    """(list of parameter names, whether the caller asked with a tuple/list)."""
    params = list(python_function(func).__code__.co_varnames[:python_function(func).__code__.co_argcount])
    many = isinstance(wrt, (tuple, list))
    items = list(wrt) if many else [wrt]
    if not items:
        raise WrtError("wrt is empty: name at least one parameter")
    names = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise WrtError(f"wrt entries must be parameter positions or names, got {item!r}")
        if isinstance(item, int):
            if not -len(params) <= item < len(params):
                raise WrtError(f"wrt={item} is out of range: {func.__name__} has {len(params)} parameter(s) {params}")
            item = params[item]
        elif item not in params:
            raise WrtError(f"wrt={item!r} is not a parameter of {func.__name__}; parameters are {params}")
        if item in names:
            raise WrtError(f"parameter {item!r} appears twice in wrt")
        names.append(item)
    return names, many


_DERIVED = {}


def derive(func, wrt_names, arg_types, helper=False):
    """The Derivative of `func` w.r.t. `wrt_names` for `arg_types` (cached: generated once)."""
    func = python_function(func)
    key = (func, tuple(wrt_names), tuple(sorted(arg_types.items(), key=lambda kv: kv[0])), helper,
           rules.generation())
    if key not in _DERIVED:
        # one helper may need several derivatives (other arguments active, other types): each
        # gets its own name, so that one caller can call two of them; so do two helpers of one
        # name (`a.rhs` and `b.rhs`), which one caller may call too (derivatives of helpers are
        # called by name: the second used to take the place of the first)
        siblings = sum(1 for k in _DERIVED if _same_name(k[0], func, helper) and k[3] == helper)
        _DERIVED[key] = _derive(func, wrt_names, arg_types, helper, siblings + 1)
    return _DERIVED[key]


_TYPING = []     # helpers whose result type is being inferred, innermost last


def _same_name(other, func, helper):
    """Would a derivative of `other` be named like one of `func`? Helpers' derivatives are
    called by name from other generated code, so any two functions of one name count."""
    return other is func or (helper and other.__name__ == func.__name__)


def helper_result_type(func, arg_types):
    """The type a helper returns for the given argument types."""
    if func in _TYPING:
        fdef, location = parse_function(func)
        raise location.unsupported(fdef, "recursion",
                                   f"{func.__name__} calls itself (directly or through other helpers); "
                                   "recursive functions are not supported yet")
    _TYPING.append(func)
    try:
        fdef, location, resolver, _, _ = _front(func, arg_types)
        types = infer_types(fdef.body, resolver, arg_types)
        return _result_type(fdef, types)
    finally:
        _TYPING.pop()


def _front(func, arg_types=None):
    fdef, location = parse_function(func)
    check_subset(fdef, location)
    rename_locals(fdef, RUNTIME_NAMES)       # a user local called `reserve` must not hide the helper
    namer = Namer(all_names(fdef) | set(RUNTIME_NAMES) | set(func.__globals__))
    resolver = Resolver(func, fdef, location)
    resolve_imports(fdef, location, resolver)      # before inlining: an imported helper may be inlined
    _check_global_names(fdef, resolver, location)
    inline_helpers(fdef, func, location, namer, resolver)
    check_call_statements(fdef, location, resolver)
    origins = normalize(fdef, location, namer, resolver, arg_types)
    return fdef, location, resolver, namer, origins


def _check_global_names(fdef, resolver, location):
    """A global of the user's named like a helper of the generated code (`digamma` imported from
    scipy.special) would be replaced by that helper where the generated code runs."""
    from . import runtime
    for node in gast.walk(fdef):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and node.id in runtime.PYTHON \
                and resolver.is_global_ref(node) and \
                resolver.namespace.get(node.id) not in (runtime.PYTHON[node.id], runtime.COMPILED[node.id]):
            raise location.unsupported(node, "name", f"`{node.id}` is also the name of a helper that s2sad's "
                                                     "generated code calls; use your function under another name")


def _result_type(fdef, types):
    result = fdef.body[-1].value
    if isinstance(result, gast.Name):
        return types.get(result.id)
    return FLOAT if isinstance(result, gast.Constant) else None


def _check_wrt_types(func, wrt_names, arg_types):
    for w in wrt_names:
        t = arg_types[w]
        if isinstance(t, TupleType):
            raise NonDifferentiableError(
                f"cannot differentiate {func.__name__} with respect to {w!r}: it is a tuple; "
                "pass a float64 array instead (np.array(...))")
        if not is_real(t):
            kind = {INT: "an integer", BOOL: "a boolean"}.get(t, f"of type {t}")
            if isinstance(t, Array):
                kind = "an integer or boolean array"
            raise NonDifferentiableError(
                f"cannot differentiate {func.__name__} with respect to {w!r}: it is {kind}; "
                f"pass a float (e.g. {w}=float(...)) or differentiate with respect to another parameter")


def _typed_front(func, wrt_names, arg_types):
    """The front end both modes share: parsed, normalised, typed, in-place updates lowered,
    aliasing checked."""
    fdef, location, resolver, namer, origins = _front(func, arg_types)
    _check_wrt_types(func, wrt_names, arg_types)
    types = _infer_with_split_names(fdef, resolver, arg_types, namer, origins, location)
    fdef.body = resolve_parameter_bindings(fdef.body, types, origins)
    fdef.body = lower_ellipsis(fdef.body, types)
    fdef.body = lower_inplace_updates(fdef.body, types, namer)
    check_aliasing(fdef.body, types, location, origins)
    return fdef, location, resolver, namer, origins, types, _result_type(fdef, types)


def _infer_with_split_names(fdef, resolver, arg_types, namer, origins, location):
    """Types of every local, after giving each live range of a name whose type changes
    (`a = np.array([a, a])` for a float `a`) its own name, as Numba does."""
    conflicts = set()
    types = infer_types(fdef.body, resolver, arg_types, conflicts)
    # a parameter rebound to a new value (`p = p_`) is another variable from there on: it
    # gets its own adjoint, which need not have the shape of the argument's
    params = {a.id for a in fdef.args.args}
    rebound = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)
               and n.id in params}
    remaining = conflicts
    if split_names(fdef, conflicts | rebound, namer, origins):
        resolver.refresh_locals(fdef)
        remaining = set()
        types = infer_types(fdef.body, resolver, arg_types, remaining)
    if remaining:
        name_ = sorted(remaining)[0]
        where = next((n for n in gast.walk(fdef) if isinstance(n, gast.Assign)
                      and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name_), fdef)
        where = origins[where.s2sad_origin] if getattr(where, "s2sad_origin", None) is not None else where
        raise location.unsupported(where, "variable type",
                                   f"{name_!r} holds values of different types where control flow merges "
                                   "(for example a float on one branch and an array on another); "
                                   "Numba cannot compile that either: use two names")
    return types


def _derive(func, wrt_names, arg_types, helper, ordinal=1):
    fdef, location, resolver, namer, origins, types, result_type = _typed_front(func, wrt_names, arg_types)
    params = [a.id for a in fdef.args.args]
    obstacles = numba_obstacles(fdef.body, types, resolver, location, origins)
    call_error = _stores_into_parameters(fdef, types, location, func) if helper else None
    if helper:
        elements = result_type.elts if isinstance(result_type, TupleType) else (result_type,)
        if not all(e == FLOAT or (isinstance(e, Array) and e.kind == "f") for e in elements):
            raise location.unsupported(fdef.body[-1], "helper result",
                                       f"a differentiated helper must return a float or a float array, "
                                       f"{func.__name__} returns {_describe(result_type)}")
    elif isinstance(result_type, Array) or result_type not in (FLOAT, INT, BOOL, None, "unknown"):
        raise NonDifferentiableError(
            f"grad needs a scalar result, but {func.__name__} returns {_describe(result_type)} "
            f"(line {fdef.body[-1].lineno}); reduce it to a scalar (e.g. with np.sum)")
    activity = Activity(fdef.body, types, wrt_names, resolver, location)
    tr = ReverseTransform(fdef, origins, types, activity, resolver, namer, location, wrt_names)
    tr.helper = helper
    tr.value_name = namer.fresh("value")
    tr.value_adj = namer.fresh("value_adj")
    tr.deferred_adjoints = {n for n in tr.active if isinstance(types.get(n), Array) and n not in tr.unconditional
                            and n not in tr.block_local and n not in wrt_names}
    forward, reverse, counts = tr.run()
    derivative = _assemble(func, fdef, tr, params, wrt_names, types, forward, reverse, counts, namer,
                           result_type, helper, ordinal)
    derivative.call_error = call_error
    derivative.numba_obstacles = obstacles
    derivative.namespace = dict(resolver.extra)
    return derivative


def _stores_into_parameters(fdef, types, location, func):
    """A helper's derivative recomputes the helper from its arguments in the caller's reverse
    sweep, after the call has run: a helper that modified an argument would start from the
    modified values. Such helpers are rejected where they are called (the top-level function
    may store into its parameters: its derivative snapshots what it overwrites)."""
    written = parameters_written(fdef, types)
    if not written:
        return None
    param, store = next(iter(written.items()))
    array = store.targets[0].value.id if isinstance(store, gast.Assign) else store.target.value.id
    return location.unsupported(
        store, "store into a parameter",
        f"{func.__name__} stores into its array argument {param!r}"
        f"{f' (through {array!r})' if array != param else ''} and is called from differentiated code; "
        "s2sad cannot differentiate a call that modifies its argument yet. Store into a copy instead "
        f"({param} = {param}.copy() at the top of {func.__name__})")


def _describe(t):
    if isinstance(t, Array):
        return f"a {t.ndim}-D array"
    return str(t)


def _assemble(func, fdef, tr, params, wrt, types, forward, reverse, counts, namer, result_type, helper,
              ordinal):
    wrt_arrays = [w for w in wrt if isinstance(types.get(w), Array)]
    active = tr.active
    inits = []
    seeded = {op_var for op_var in _seeded(fdef)}
    for n in sorted(active, key=lambda n: (_first_position(tr, n), n)):
        if n in tr.block_local or n in seeded or n in wrt_arrays or n in tr.deferred_adjoints \
                or n in tr.early_adjoints:
            continue
        if isinstance(types.get(n), Array):
            inits.append(stmt(f"{tr.adj(n)} = np.zeros_like({n})"))
        else:
            inits.append(stmt(f"{tr.adj(n)} = 0.0"))
    top_reserve = tr.reserve(counts)
    tapes = [t for t in TAPES if t in tr.tapes_used]
    what = "Adjoints of the inputs" if helper else "Value and gradient"
    body = [gast.Expr(value=gast.Constant(
        value=f"{what} of {func.__name__} with respect to {', '.join(wrt)}. Generated by s2sad.",
        kind=None))]
    if not helper:
        body += [stmt(f"{tr.top_var(t)} = 0") for t in tapes]
    body += top_reserve
    body.append(comment("forward sweep: the primal computation, saving what the reverse sweep needs"))
    body += _result_defaults(fdef, tr, types)
    body += forward
    body.append(comment("reverse sweep: adjoints flow from the result back to the inputs"))
    reverse_start = len(body)
    body += inits + reverse
    outputs = [] if helper else [tr.value_name]
    for w in wrt:
        if w in active or w in wrt_arrays:
            outputs.append(tr.adj(w))
        else:
            outputs.append("0.0")
    outputs += [tr.tape_var(t) for t in tapes]
    body.append(stmt(f"return {', '.join(outputs)}"))
    body = drop_dead_adjoint_stores(body, set(tr.adj_names.values()), reverse_start)
    stem = f"{func.__name__}_vjp" if helper else f"{func.__name__}_grad"
    gname = namer.fresh(stem if ordinal == 1 else f"{stem}_{ordinal}")
    tape_args = [v for t in tapes for v in ((tr.tape_var(t), tr.top_var(t)) if helper else (tr.tape_var(t),))]
    args = params + [tr.value_adj] + [tr.adj(w) for w in wrt_arrays] + tape_args
    signature = stmt(f"def {gname}({', '.join(args)}):\n    pass")
    signature.body = body
    source = render(gast.Module(body=[signature], type_ignores=[]))
    return Derivative(gname, source, params, wrt, wrt_arrays, tapes, func, result_type, helper,
                      dict(tr.dependencies))


def _result_defaults(fdef, tr, types):
    """`result = 0.0` for a returned scalar assigned only inside branches (an early `return`
    lowered by `normalize.returns`): Numba prunes a branch whose test is constant (`s = 0.0;
    if s > 0.0 and ...: return ...`) and then refuses a name left with no definition on a path,
    although every run assigns it before it is read."""
    zero = {FLOAT: "0.0", INT: "0", BOOL: "False"}
    return [stmt(f"{n} = {zero[types[n]]}") for n in _seeded(fdef)
            if types.get(n) in zero and n not in tr.unconditional and n not in tr.params]


def _seeded(fdef):
    result = fdef.body[-1].value
    return [result.id] if isinstance(result, gast.Name) else []


def _first_position(tr, n):
    positions = [p for p, _ in tr.defs.get(n, [])] + tr.uses.get(n, [])
    return min(positions) if positions else -1


_TANGENT_DERIVED = {}


def derive_tangent(func, wrt_names, arg_types, helper=False, returns="both"):
    """The forward-mode Derivative of `func` along tangents of `wrt_names` (cached).

    The generated function takes the primal's parameters, then one tangent per name in
    `wrt_names`, and returns `(value, tangent)`, or only the tangent if `returns="tangent"`."""
    func = python_function(func)
    key = (func, tuple(wrt_names), tuple(sorted(arg_types.items(), key=lambda kv: kv[0])), helper, returns,
           rules.generation())
    if key not in _TANGENT_DERIVED:
        siblings = sum(1 for k in _TANGENT_DERIVED if _same_name(k[0], func, helper) and k[3] == helper)
        _TANGENT_DERIVED[key] = _derive_tangent(func, wrt_names, arg_types, helper, returns, siblings + 1)
    return _TANGENT_DERIVED[key]


def _derive_tangent(func, wrt_names, arg_types, helper, returns, ordinal):
    fdef, location, resolver, namer, origins, types, result_type = _typed_front(func, wrt_names, arg_types)
    params = [a.id for a in fdef.args.args]
    obstacles = numba_obstacles(fdef.body, types, resolver, location, origins)
    elements = result_type.elts if isinstance(result_type, TupleType) else (result_type,)
    if not all(e in (FLOAT, INT, BOOL) or isinstance(e, Array) for e in elements):
        raise location.unsupported(fdef.body[-1], "result",
                                   f"forward mode needs a result of floats or arrays (or a tuple of them), "
                                   f"{func.__name__} returns {_describe(result_type)}")
    if returns == "tangent" and result_type not in (FLOAT, INT, BOOL):
        raise NonDifferentiableError(
            f"a Hessian-vector product needs a scalar result, but {func.__name__} returns "
            f"{_describe(result_type)} (line {fdef.body[-1].lineno})")
    activity = Activity(fdef.body, types, wrt_names, resolver, location)
    tr = ForwardTransform(fdef, origins, types, activity, resolver, namer, location, wrt_names)
    tangent_params = [tr.dot(w) for w in wrt_names]
    body = tr.run()
    result = fdef.body[-1].value
    outputs = tr.outputs(result, helper)
    if returns == "tangent":
        outputs = outputs.split(", ", 1)[1]           # a scalar result: value, tangent
    along = ", ".join(tangent_params)
    what = "Tangent" if returns == "tangent" else "Value and tangent"
    doc = gast.Expr(value=gast.Constant(value=f"{what} of {func.__name__} along ({along}). Generated by s2sad.",
                                        kind=None))
    stem = f"{func.__name__}_jvp"
    gname = namer.fresh(stem if ordinal == 1 else f"{stem}_{ordinal}")
    signature = stmt(f"def {gname}({', '.join(params + tangent_params)}):\n    pass")
    signature.body = [doc] + body + [stmt(f"return {outputs}")]
    source = render(gast.Module(body=[signature], type_ignores=[]))
    derivative = Derivative(gname, source, params, list(wrt_names), [], [], func, result_type, helper,
                            dict(tr.dependencies))
    derivative.written_parameters = set(parameters_written(fdef, types))
    derivative.numba_obstacles = obstacles
    derivative.namespace = dict(resolver.extra)
    return derivative
