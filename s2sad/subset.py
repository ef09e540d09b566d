"""Check that a parsed function stays inside the supported subset.

Takes the FunctionDef from `parsing`; guarantees (or raises UnsupportedError naming
file, line and construct) that it contains only: assignments to names and subscripts,
augmented assignments, `for` and `while` loops (with or without `else:`),
`if`/`elif`/`else`, `pass`, `break`, `continue`, `return <expr>` (every path must end in
one), `assert`, expression statements that are calls (only `print(...)` survives the
`statements` lowering), function-local imports, and `*p` as a call argument.
"""
import gast

_STATEMENT_HINTS = {
    gast.Try: "try/except is not supported; move error handling outside the differentiated function",
    gast.With: "`with` blocks are not supported",
    gast.AsyncFunctionDef: "async functions are not supported",
    gast.FunctionDef: "nested function definitions are not supported; define helpers at module level",
    gast.ClassDef: "class definitions are not supported inside a differentiated function",
    gast.Global: "`global` is not supported; pass the value as an argument",
    gast.Nonlocal: "`nonlocal` is not supported",
    gast.Delete: "`del` is not supported",
    gast.AsyncFor: "async for is not supported",
    gast.AsyncWith: "async with is not supported",
}
_EXPRESSION_HINTS = {
    gast.Lambda: "lambda expressions are not supported; define a module-level function",
    gast.GeneratorExp: "generator expressions are not supported; write a loop",
    gast.ListComp: "list comprehensions are not supported; write a loop",
    gast.SetComp: "set comprehensions are not supported",
    gast.DictComp: "dict comprehensions are not supported",
    gast.Yield: "generators (yield) are not supported",
    gast.YieldFrom: "generators (yield from) are not supported",
    gast.Await: "await is not supported",
    gast.Dict: "dictionaries are not supported",
    gast.Set: "sets are not supported",
    gast.NamedExpr: "the walrus operator := is not supported",
    gast.JoinedStr: "f-strings are not supported",
}


def check_subset(fdef, location, needs_return=True):
    """Raise UnsupportedError at the first construct outside the subset. An inlined helper
    (`needs_return=False`) may end without a `return` (it fills arrays)."""
    args = fdef.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        raise location.unsupported(fdef, "signature",
                                   "only plain positional parameters are supported (no *args, **kwargs, keyword-only)")
    body = fdef.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
        fdef.body = body or [gast.Pass()]
    from .normalize.returns import fall_off
    ending = fall_off(body, fdef) if needs_return else None
    if ending is not None:
        node, what = ending
        raise location.unsupported(node, "return",
                                   f"{what} (Python would return None); every path through "
                                   f"{fdef.name} must end with `return <expression>`")
    starred_args = set()      # `*p` in a call: expanded by the `calls` lowering (gast.walk is breadth first)
    for node in gast.walk(fdef):
        if node is fdef:
            continue
        for kind, hint in list(_STATEMENT_HINTS.items()) + list(_EXPRESSION_HINTS.items()):
            if type(node) is kind:
                raise location.unsupported(node, kind.__name__, hint)
        if isinstance(node, gast.Raise) and (node.exc is None or node.cause is not None):
            raise location.unsupported(node, "raise", "only `raise ExceptionClass(...)` is supported "
                                                      "(no bare re-raise, no `from`)")
        if isinstance(node, gast.Return) and node.value is None:
            raise location.unsupported(node, "return", "a bare `return` returns None; return a value")
        if isinstance(node, gast.Expr) and isinstance(node.value, (gast.Yield, gast.YieldFrom)):
            raise location.unsupported(node, "Yield", _EXPRESSION_HINTS[gast.Yield])
        if isinstance(node, gast.Expr) and not isinstance(node.value, (gast.Constant, gast.Call)):
            raise location.unsupported(node, "expression statement",
                                       "expression statements are not supported, except print(...)")
        if isinstance(node, gast.Call):
            starred_args.update(id(a) for a in node.args if isinstance(a, gast.Starred))
        if isinstance(node, gast.Starred) and id(node) not in starred_args:
            raise location.unsupported(node, "Starred", "star-expressions are supported only as arguments "
                                                        "of calls (`f(*p)`)")


def check_call_statements(fdef, location, resolver):
    """After inlining, a call made for its side effects is left only if it calls no helper
    (`print(...)` stays: the forward sweep runs it, see `normalize.statements`)."""
    from .normalize.statements import is_print
    for node in gast.walk(fdef):
        if isinstance(node, gast.Expr) and isinstance(node.value, gast.Call) and not is_print(node, resolver):
            raise location.unsupported(node, "expression statement",
                                       "calls made for their side effects are supported for your own helpers "
                                       "(they are inlined) and print(...) only; this one calls something else")


def check_range_loops(fdef, location):
    """After the `iteration` lowering every loop must be a well-formed range loop."""
    for node in gast.walk(fdef):
        if isinstance(node, gast.For):
            _check_range_loop(node, location)


def _check_range_loop(node, location):
    it = node.iter
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "range"):
        raise location.unsupported(node, "for loop",
                                   "loops must iterate over range(...), an array, enumerate(...) or zip(...)")
    if not isinstance(node.target, gast.Name):
        raise location.unsupported(node, "for loop", "the loop variable must be a plain name")
    if it.keywords or not 1 <= len(it.args) <= 3:
        raise location.unsupported(node, "range", "range takes 1 to 3 positional arguments")
    if len(it.args) == 3 and step_value(it.args[2]) is None:
        raise location.unsupported(node, "range step",
                                   "the step of range(start, stop, step) must be an integer literal")
    target = node.target.id
    for inner in gast.walk(gast.Module(body=node.body, type_ignores=[])):
        if isinstance(inner, gast.Name) and inner.id == target and isinstance(inner.ctx, gast.Store):
            raise location.unsupported(inner, "loop variable",
                                       f"the loop variable {target!r} is assigned inside its loop")


def step_value(node):
    """The integer value of a literal range step (`2`, `-1`), else None."""
    if isinstance(node, gast.Constant) and isinstance(node.value, int) and node.value != 0:
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = step_value(node.operand)
        return -inner if inner is not None else None
    return None
