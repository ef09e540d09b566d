"""Fresh, readable names that never collide with the user's."""
import re

import gast

_OP_WORDS = {
    gast.Add: "plus", gast.Sub: "minus", gast.Mult: "times", gast.Div: "over",
    gast.Pow: "pow", gast.Mod: "mod", gast.FloorDiv: "floordiv", gast.MatMult: "matmul",
}
MAX_NAME = 22
_NUMBER_WORDS = {0: "zero", 1: "one", 2: "two", 0.5: "half"}


def op_word(op):
    return _OP_WORDS.get(type(op), "op")


def all_names(tree):
    return {n.id for n in gast.walk(tree) if isinstance(n, gast.Name)} | {
        a.id for n in gast.walk(tree) if isinstance(n, gast.arguments) for a in n.args}


class Namer:
    """Hands out identifiers that are unique within one generated function."""

    def __init__(self, taken=()):
        self.taken = set(taken)

    def reserve(self, name):
        self.taken.add(name)

    def fresh(self, stem):
        stem = re.sub(r"\W", "_", stem).strip("_") or "tmp"
        if stem[0].isdigit():
            head, _, rest = stem.partition("_")
            word = _NUMBER_WORDS.get(int(head)) if head.isdigit() else None
            stem = f"{word}_{rest}" if word and rest else "c" + stem
        if stem not in self.taken:
            self.taken.add(stem)
            return stem
        k = 2
        while f"{stem}_{k}" in self.taken:
            k += 1
        name = f"{stem}_{k}"
        self.taken.add(name)
        return name


def describe(expr):
    """A short identifier-ish description of a simple expression, or None."""
    if isinstance(expr, gast.Name):
        return expr.id
    if isinstance(expr, gast.Constant):
        v = expr.value
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, float) and v in _NUMBER_WORDS:
            return _NUMBER_WORDS[v]
        if isinstance(v, int):
            return str(v) if v >= 0 else f"neg{-v}"
        if isinstance(v, float) and v == int(v) and abs(v) < 1e6:
            return str(int(v)) if v >= 0 else f"neg{int(-v)}"
        return None
    if isinstance(expr, gast.Attribute):
        inner = describe(expr.value)
        return f"{inner}_{expr.attr}" if inner else expr.attr
    return None


def name_for(expr):
    """Stem for a temporary holding `expr` (already in three-address form), or None."""
    if isinstance(expr, gast.BinOp):
        left, right = describe(expr.left), describe(expr.right)
        if left and right:
            return f"{left}_{op_word(expr.op)}_{right}"
    elif isinstance(expr, gast.UnaryOp) and isinstance(expr.op, gast.USub):
        inner = describe(expr.operand)
        return f"neg_{inner}" if inner else None
    elif isinstance(expr, gast.Subscript):
        base = describe(expr.value)
        index = expr.slice
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        names = [describe(p) for p in parts]
        if base and all(names):
            return "_".join([base] + names)
    elif isinstance(expr, gast.Call):
        fname = describe(expr.func)
        if fname:
            fname = fname.split("_")[-1]
            args = [describe(a) for a in expr.args]
            if all(args) and args:
                return "_".join([fname] + args)
            return fname
    elif isinstance(expr, gast.Attribute):
        return describe(expr)
    return None


def temp_stem(expr, fallback):
    stem = name_for(expr)
    if stem is None or len(stem) > MAX_NAME:
        return fallback
    return stem


def rename_locals(fdef, reserved):
    """Rename local variables (not parameters) whose names the generated code needs for itself."""
    params = {a.id for a in fdef.args.args}
    stored = {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    clashes = (stored & set(reserved)) - params
    if not clashes:
        return
    namer = Namer(all_names(fdef) | set(reserved))
    renamed = {old: namer.fresh(f"{old}_value") for old in sorted(clashes)}
    for n in gast.walk(fdef):
        if isinstance(n, gast.Name) and n.id in renamed:
            n.id = renamed[n.id]
