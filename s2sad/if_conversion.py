"""Optimisation: a small `if`/`else` whose arms only compute scalars becomes straight-line
code ending in selects (`s = s_if if test else s_else`).

Takes one generated `if` statement, the names used anywhere else in the generated function,
and returns the converted statements, or None when it does not apply. A branch whose arms
both do arithmetic on scalars (a fused loop's branch carries the primal update and its
adjoint together) is mispredicted about half the time on data without a pattern, which
costs more than computing both arms; the compiled primal of such a branch is branch-free
for the same reason. Guarantees, when it applies:

* both arms are only assignments to names (no stores into arrays, no calls with effects);
* nothing in them can raise or read out of bounds when evaluated for the arm not taken: no
  array reads, no division except by a nonzero constant, no power except by a constant
  >= 0, calls only to `abs`, `min`, `max`, `np.sign`, `np.abs`, `math.fabs`;
* the arms together are small (`MAX_OPERATIONS`), so computing both is cheap;
* names an arm assigns that are used outside the `if` get the value of the arm taken.
"""
import copy

import gast

from .codegen import comment, is_comment, src

MAX_OPERATIONS = 40
_SAFE_CALLS = {"abs", "min", "max", "np.sign", "np.abs", "math.fabs", "numpy.sign", "numpy.abs"}


def convert(branch, used_elsewhere, defined_before, fresh):
    """`branch` as straight-line statements, or None. Every name an arm assigns gets a new
    name in that arm (so neither arm sees the other's values); `used_elsewhere`: names read
    outside the `if`, which get a select; `defined_before`: names certainly bound before it
    (a name one arm leaves alone keeps that value); `fresh(stem)` makes a new name."""
    if not isinstance(branch, gast.If) or not branch.orelse:
        return None
    arms = [branch.body, branch.orelse]
    if not all(is_comment(s) or _speculable(s) for arm in arms for s in arm):
        return None
    if sum(_operations(s) for arm in arms for s in arm if not is_comment(s)) > MAX_OPERATIONS:
        return None
    results, out = [], []
    test = fresh("taken")
    out.append(_assign(test, branch.test))
    for arm, label in zip(arms, ("if", "else")):
        renamed, names = _rename_arm(arm, lambda n: fresh(f"{n}_{label}"))
        out.append(comment(f"when {src(branch.test)}:" if label == "if" else "otherwise:"))
        out += renamed
        results.append(names)
    for n in sorted((set(results[0]) | set(results[1])) & used_elsewhere):
        if (n not in results[0] or n not in results[1]) and n not in defined_before:
            return None                    # the arm that leaves it alone has no value for it
        taken, not_taken = results[0].get(n, n), results[1].get(n, n)
        out.append(_assign(n, gast.IfExp(test=_name(test), body=_name(taken), orelse=_name(not_taken))))
    return out


def _speculable(statement):
    if isinstance(statement, gast.Assign):
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], gast.Name):
            return False
        value = statement.value
    elif isinstance(statement, gast.AugAssign):
        if not isinstance(statement.target, gast.Name) or isinstance(statement.op, (gast.Div, gast.FloorDiv, gast.Mod)):
            return False
        value = statement.value
    else:
        return False
    return all(_safe(node) for node in gast.walk(value))


def _safe(node):
    if isinstance(node, gast.Subscript):
        return False                       # an index the other arm guards may be out of bounds
    if isinstance(node, gast.Attribute):
        return src(node) in _SAFE_CALLS
    if isinstance(node, gast.Call):
        return src(node.func) in _SAFE_CALLS and not node.keywords
    if isinstance(node, gast.BinOp):
        if isinstance(node.op, (gast.Div, gast.FloorDiv, gast.Mod)):
            return isinstance(node.right, gast.Constant) and isinstance(node.right.value, (int, float)) \
                and node.right.value != 0
        if isinstance(node.op, gast.Pow):
            return isinstance(node.right, gast.Constant) and isinstance(node.right.value, (int, float)) \
                and node.right.value >= 0
        return isinstance(node.op, (gast.Add, gast.Sub, gast.Mult))
    return isinstance(node, (gast.Name, gast.Constant, gast.UnaryOp, gast.expr_context, gast.operator,
                             gast.unaryop, gast.Compare, gast.cmpop, gast.IfExp, gast.BoolOp, gast.boolop))


def _operations(statement):
    return sum(isinstance(n, (gast.BinOp, gast.UnaryOp, gast.Call, gast.AugAssign)) for n in gast.walk(statement))


def _rename_arm(arm, fresh):
    """The arm with every name it assigns renamed (reads after the assignment follow);
    returns (statements, {name: the name of its final value in this arm})."""
    current = {}
    out = []
    for statement in arm:
        if is_comment(statement):
            out.append(statement)        # the comments tying the arm to the user's lines stay
            continue
        target = statement.targets[0] if isinstance(statement, gast.Assign) else statement.target
        value = _renamed_reads(statement.value, current)
        if isinstance(statement, gast.AugAssign):
            value = gast.BinOp(left=_name(current.get(target.id, target.id)), op=statement.op, right=value)
        current[target.id] = fresh(target.id)
        out.append(_assign(current[target.id], value))
    return out, current


def _renamed_reads(expr, current):
    class Rename(gast.NodeTransformer):
        def visit_Name(self, node):
            if isinstance(node.ctx, gast.Load) and node.id in current:
                return _name(current[node.id])
            return node
    return Rename().visit(copy.deepcopy(expr))


def _name(identifier, store=False):
    return gast.Name(id=identifier, ctx=gast.Store() if store else gast.Load(), annotation=None, type_comment=None)


def _assign(target, value):
    return gast.Assign(targets=[_name(target, store=True)], value=value, type_comment=None)
