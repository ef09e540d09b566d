"""Lowering (after type inference): `a[..., k]` becomes `a[:, k]` (or `a[k]` for a 1-D `a`).

NumPy's `x[..., 0]` on a 1-D `x` is a 0-d *view*, not a float: an adjoint read through it
would alias the adjoint array it came from. Once the number of dimensions of every array is
known, each Ellipsis is written out as the full slices it stands for, so the transforms only
see integer and slice indices. Takes the three-address body and its types; guarantees no
Ellipsis remains in an index of an array whose ndim is known.
"""
import gast

from ..types import Array


def lower_ellipsis(body, types):
    for node in (n for stmt in body for n in gast.walk(stmt)):
        if isinstance(node, gast.Subscript) and isinstance(node.value, gast.Name):
            array = types.get(node.value.id)
            if isinstance(array, Array):
                node.slice = _expanded(node.slice, array.ndim)
    return body


def _is_ellipsis(part):
    return isinstance(part, gast.Constant) and part.value is Ellipsis


def _expanded(index, ndim):
    parts = list(index.elts) if isinstance(index, gast.Tuple) else [index]
    if sum(_is_ellipsis(p) for p in parts) != 1:
        return index
    consumed = sum(1 for p in parts if not _is_ellipsis(p) and not (isinstance(p, gast.Constant) and p.value is None))
    fill = [gast.Slice(lower=None, upper=None, step=None) for _ in range(max(ndim - consumed, 0))]
    k = next(i for i, p in enumerate(parts) if _is_ellipsis(p))
    parts = parts[:k] + fill + parts[k + 1:]
    if not parts:
        return gast.Slice(lower=None, upper=None, step=None)
    return parts[0] if len(parts) == 1 else gast.Tuple(elts=parts, ctx=gast.Load())
