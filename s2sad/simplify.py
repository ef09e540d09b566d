"""Algebraic clean-up of generated expressions: constant folding and neutral elements.

Takes an expression built by substituting into a template (`g * 2 * x ** (2 - 1)`) and
returns an equivalent, shorter one (`g * 2 * x`). Only rewrites that are exact in IEEE
arithmetic for finite values are applied (`x * 1`, `x + 0`, `x ** 1`, `--x`), never
`0 * x` (which is not 0 for infinite x).
"""
import operator

import gast

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
         gast.Pow: operator.pow}


def _no_copy(node):
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and node.func.attr == "copy" \
            and not node.args and not node.keywords:
        return node.func.value
    return node


def _const(node):
    if isinstance(node, gast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        inner = _const(node.operand)
        return -inner if inner is not None else None
    return None


def _is(node, value):
    c = _const(node)
    return c is not None and c == value


class _Simplify(gast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        node.left, node.right = _no_copy(node.left), _no_copy(node.right)   # arithmetic makes a new array
        left, right = _const(node.left), _const(node.right)
        op = type(node.op)
        if left is not None and right is not None and op in _FOLD:
            try:
                value = _FOLD[op](left, right)
                if abs(value) < 1e15:
                    return _constant(value)
            except (OverflowError, ZeroDivisionError, ValueError):
                pass
        if op in (gast.Mult, gast.Div) and isinstance(node.left, gast.UnaryOp) \
                and isinstance(node.left.op, gast.USub):      # (-a) * b  ->  -(a * b)
            return gast.UnaryOp(op=gast.USub(), operand=gast.BinOp(left=node.left.operand, op=node.op,
                                                                  right=node.right))
        truth_left, truth_right = _bool(node.left), _bool(node.right)
        if op is gast.Mult and truth_right is True:
            return node.left                   # x * (2.0 > 0), once the comparison is folded
        if op is gast.Mult and truth_left is True:
            return node.right
        if op in (gast.Add, gast.Sub) and truth_right is False:
            return node.left
        if op is gast.Mult:
            if _is(node.right, 1):
                return node.left
            if _is(node.left, 1):
                return node.right
            if _is(node.left, -1):
                return self.visit(gast.UnaryOp(op=gast.USub(), operand=node.right))
        if op in (gast.Add, gast.Sub) and _is(node.right, 0):
            return node.left
        if op is gast.Add and _is(node.left, 0):
            return node.right
        if op is gast.Div and _is(node.right, 1):
            return node.left
        if op is gast.Pow and _is(node.right, 1):
            return node.left
        if op in (gast.Add, gast.Sub) and _const(node.right) is not None and isinstance(node.left, gast.BinOp) \
                and type(node.left.op) in (gast.Add, gast.Sub) and _const(node.left.right) is not None:
            inner = _const(node.left.right) * (1 if isinstance(node.left.op, gast.Add) else -1)
            outer = _const(node.right) * (1 if op is gast.Add else -1)
            return self.visit(gast.BinOp(left=node.left.left, op=gast.Add(), right=_constant(inner + outer)))
        if op is gast.Sub and _const(node.right) is not None and _const(node.right) < 0:
            return gast.BinOp(left=node.left, op=gast.Add(), right=_constant(-_const(node.right)))
        if op is gast.Add and _const(node.right) is not None and _const(node.right) < 0:
            return gast.BinOp(left=node.left, op=gast.Sub(), right=_constant(-_const(node.right)))
        if op is gast.Add and isinstance(node.right, gast.UnaryOp) and isinstance(node.right.op, gast.USub):
            return gast.BinOp(left=node.left, op=gast.Sub(), right=node.right.operand)
        return node

    def visit_Subscript(self, node):
        self.generic_visit(node)
        index = node.slice
        if isinstance(node.value, gast.Tuple) and isinstance(node.ctx, gast.Load):
            picked = _static_item(node.value, index)        # (a, b, c)[1] -> b, (a, b, c)[:1] -> (a,)
            if picked is not None:
                return picked
        if isinstance(node.ctx, gast.Load) and isinstance(index, gast.Slice) and \
                index.lower is None and index.upper is None and index.step is None:
            return node.value          # g[:] inside an expression reads the same values as g
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        operands = (node.left, node.comparators[0])
        if len(node.ops) == 1 and isinstance(node.ops[0], (gast.Eq, gast.NotEq)) and \
                all(isinstance(e, gast.Constant) and isinstance(e.value, str) for e in operands):
            equal = node.left.value == node.comparators[0].value        # an option: indexing == "xy"
            return gast.Constant(value=equal if isinstance(node.ops[0], gast.Eq) else not equal, kind=None)
        if len(node.ops) == 1 and _const(node.left) is not None and _const(node.comparators[0]) is not None:
            compare = _COMPARE.get(type(node.ops[0]))
            if compare is not None:
                return gast.Constant(value=compare(_const(node.left), _const(node.comparators[0])), kind=None)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, gast.Attribute) and node.func.attr in ("abs", "absolute") and \
                len(node.args) == 1 and _const(node.args[0]) is not None:
            return _constant(abs(_const(node.args[0])))       # np.abs(2.0)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        test = _static_truth(node.test)
        if test is None:
            test = _bool(node.test)
        if test is None:
            return node
        return node.body if test else node.orelse

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub):
            inner = node.operand
            if _const(inner) is not None:
                return _constant(-_const(inner))
            if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
                return inner.operand
        return node


_COMPARE = {gast.Gt: operator.gt, gast.GtE: operator.ge, gast.Lt: operator.lt, gast.LtE: operator.le,
            gast.Eq: operator.eq, gast.NotEq: operator.ne}


def _static_item(display, index):
    """Element or slice of a tuple display at a literal index, or None."""
    if _const(index) is not None and isinstance(_const(index), int):
        k = _const(index)
        return display.elts[k] if -len(display.elts) <= k < len(display.elts) else None
    if isinstance(index, gast.Slice):
        bounds = [None if b is None else _const(b) for b in (index.lower, index.upper, index.step)]
        if all(b is None or isinstance(b, int) for b in bounds) and \
                all(b is not None or part is None for b, part in zip(bounds, (index.lower, index.upper, index.step))):
            return gast.Tuple(elts=display.elts[slice(*bounds)], ctx=gast.Load())
    return None


def _bool(node):
    if isinstance(node, gast.Constant) and isinstance(node.value, bool):
        return node.value
    return None


def _constant(value):
    if value < 0:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-value, kind=None))
    return gast.Constant(value=value, kind=None)


def _static_truth(test):
    """The value of `X is None` / `X is not None` when X is a literal, else None."""
    if isinstance(test, gast.Compare) and len(test.ops) == 1 and isinstance(test.left, gast.Constant) \
            and isinstance(test.comparators[0], gast.Constant) and test.comparators[0].value is None:
        if isinstance(test.ops[0], gast.Is):
            return test.left.value is None
        if isinstance(test.ops[0], gast.IsNot):
            return test.left.value is not None
    return None


def simplify(expr):
    return _Simplify().visit(expr)
