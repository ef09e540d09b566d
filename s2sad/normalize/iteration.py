"""Lowering: `for` over arrays, `enumerate` and `zip` to `for i in range(...)`.

Takes any body. Guarantees every `for` loop iterates over `range(...)` with a plain name
as target:

    for v in xs:                 ->  for i in range(xs.shape[0]): v = xs[i]
    for k, v in enumerate(xs):   ->  for k in range(xs.shape[0]): v = xs[k]
    for a, b in zip(xs, ys):     ->  for i in range(min(xs.shape[0], ys.shape[0])): a = xs[i]; b = ys[i]

`range(n)` / `range(a, b)` may also appear inside `zip`; their elements are `a + i`.
"""
import copy

import gast

from .walk import assign, load, rewrite_body, store


def _name(node):
    return isinstance(node, gast.Name)


def _call_of(node, name):
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == name


def lower_iteration(body, namer, location, origins):
    def element(iterable, index, like):
        """(length expression, element expression) of one iterable."""
        if _call_of(iterable, "range"):
            args = iterable.args
            if len(args) > 2:
                raise location.unsupported(like, "range in zip", "only range(n) and range(a, b) can be zipped")
            start = args[0] if len(args) == 2 else gast.Constant(value=0, kind=None)
            stop = args[-1]
            length = gast.BinOp(left=copy.deepcopy(stop), op=gast.Sub(), right=copy.deepcopy(start))
            return length, gast.BinOp(left=copy.deepcopy(start), op=gast.Add(), right=load(index))
        length = gast.Subscript(value=gast.Attribute(value=copy.deepcopy(iterable), attr="shape", ctx=gast.Load()),
                                slice=gast.Constant(value=0, kind=None), ctx=gast.Load())
        return length, gast.Subscript(value=copy.deepcopy(iterable), slice=load(index), ctx=gast.Load())

    def synthesized(node, like):
        gast.copy_location(node, like)
        origins.add(node)
        return node

    def lower(stmt):
        if not isinstance(stmt, gast.For) or _call_of(stmt.iter, "range"):
            return [stmt]
        it, target = stmt.iter, stmt.target
        if _call_of(it, "enumerate"):
            if len(it.args) != 1 or it.keywords or not (isinstance(target, gast.Tuple) and len(target.elts) == 2
                                                         and all(_name(e) for e in target.elts)):
                raise location.unsupported(stmt, "enumerate", "use `for i, v in enumerate(xs)` with one argument")
            index = target.elts[0].id
            pairs = [(target.elts[1], it.args[0])]
        elif _call_of(it, "zip"):
            if it.keywords or not (isinstance(target, gast.Tuple) and len(target.elts) == len(it.args)):
                raise location.unsupported(stmt, "zip", "unpack exactly one name per zipped sequence")
            index = namer.fresh("index")
            pairs = list(zip(target.elts, it.args))
        elif _name(it) or isinstance(it, gast.Attribute):
            index = namer.fresh("index")
            pairs = [(target, it)]
        else:
            raise location.unsupported(stmt, "for loop", "loops must iterate over range(...), an array, "
                                                         "enumerate(...) or zip(...)")
        # Python evaluates what it iterates over once, before the loop: a sequence (or a range
        # start) the body rebinds is read through a name bound before the loop
        rebound = {n.id for part in stmt.body for n in gast.walk(part)
                   if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        before = []
        for k, (name_node, iterable) in enumerate(pairs):
            fixed = iterable.args[0] if _call_of(iterable, "range") and len(iterable.args) == 2 else iterable
            if any(isinstance(n, gast.Name) and n.id in rebound for n in gast.walk(fixed)):
                held = namer.fresh(f"{fixed.id}_iterated" if _name(fixed) else "range_start")
                before.append(synthesized(assign(store(held), copy.deepcopy(fixed)), stmt))
                if fixed is iterable:
                    pairs[k] = (name_node, load(held))
                else:
                    pairs[k] = (name_node, gast.Call(func=iterable.func, args=[load(held), iterable.args[1]],
                                                     keywords=[]))
        lengths, assignments = [], []
        for name_node, iterable in pairs:
            if not _name(name_node):
                raise location.unsupported(stmt, "for loop", "loop targets must be plain names")
            length, value = element(iterable, index, stmt)
            lengths.append(length)
            assignments.append(synthesized(assign(store(name_node.id), value), stmt))
        count = lengths[0] if len(lengths) == 1 else gast.Call(func=load("min"), args=lengths, keywords=[])
        loop = gast.For(target=store(index), iter=gast.Call(func=load("range"), args=[count], keywords=[]),
                        body=assignments + stmt.body, orelse=stmt.orelse, type_comment=None)
        gast.copy_location(loop, stmt)
        loop.s2sad_origin = getattr(stmt, "s2sad_origin", None)
        return before + [loop]

    return rewrite_body(body, lower)
