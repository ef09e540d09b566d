"""Data the reverse transform and its parts share: contexts, adjoint operations, tape counts."""
from collections import namedtuple

ENTRY = -1                      # version of a name as it was when the block started
# fused: inside the body of a fused loop (see `fused_for_unit`), which runs again and again
# like a loop body, though each run's adjoint follows it at once
Ctx = namedtuple("Ctx", "in_loop loop_vars in_branch fused", defaults=(False, False))
# values that must outlive a construct go on a tape inside loops, and inside branches too:
# Numba prunes branches whose test is a constant, and a local assigned only there has no type
TAPES = ("float", "int", "branch")
Op = namedtuple("Op", "kind var expr index origin")
GrowthPoint = namedtuple("GrowthPoint", "tape call headroom")   # see ReverseTransform.reserve
#   kind: "add"  var_adj += expr            "set"   var_adj = expr
#         "zero" var_adj = 0.0              "array_add"  var_adj[index] += expr
#         "array_zero" var_adj[index] = 0.0      "scatter_add" scatter_add(var_adj, index, expr)


class Counts(dict):
    """Pushes per tape made by one execution of a piece of code (outside inner loops)."""

    def plus(self, other):
        out = Counts(self)
        for k, v in other.items():
            out[k] = out.get(k, 0) + v
        return out

    def max(self, other):
        out = Counts(self)
        for k, v in other.items():
            out[k] = max(out.get(k, 0), v)
        return out
