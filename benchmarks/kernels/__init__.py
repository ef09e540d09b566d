"""Kernels for `bench_kernels.py`: one module per kernel, each exporting `KERNELS`, a list of `Kernel`.

A module holds, for its kernel:
  (a) the primal: plain Python + NumPy written the way one writes Numba code (loops, branches,
      in-place updates); s2sad differentiates it as is and `numba.njit` compiles it as is;
  (c) a hand-written Numba adjoint (`@numba.njit`), written the way an expert would: fused
      passes, minimal storage, buffers allocated once outside `@njit` and reused;
  (d) optionally a JAX version (`jax.jit(jax.grad(...))`), built by `jax(jax, jnp, lax)` so
      that JAX is imported only when it is wanted.
(b), the njit primal, is `numba.njit(primal)`, made by the script.

Nothing here is imported by s2sad or its tests.
"""
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

MODULES = ("rosenbrock", "heat", "gmm", "huber", "newton", "lorenz", "lj", "lstm", "mc_option", "mlp")


@dataclass
class Kernel:
    name: str                       # short name, used by --only
    title: str
    primal: Callable                # the plain Python function (s2sad's input, njit's input)
    wrt: Any                        # argument positions, as for s2sad.grad
    wrt_names: tuple                # names of the differentiated arguments, for the tables
    args: Callable                  # args(size) -> tuple, size in {"full", "quick", "small"}
    size_text: Callable             # size_text(size) -> str
    hand: Callable                  # hand(args) -> callable(*args) -> gradient shaped like s2sad's
    jax: Optional[Callable] = None  # jax(jax, jnp, lax) -> {label: JaxCase}; first label = main column
    variant: Optional[Callable] = None   # s2sad-accepted rewrite, used only if `primal` is rejected
    variant_note: str = ""
    batch: dict = field(default_factory=lambda: {"full": 1, "quick": 1, "small": 1})
    per_call_us: bool = False       # report microseconds per call (the per-call-overhead kernel)
    chaotic: bool = False           # compare JAX at the small size only (values depend on rounding)
    hand_note: str = ""
    jax_note: str = ""
    tape_per: Optional[Callable] = None  # tape_per(args) -> (count, unit): e.g. (n * nt, "point per step")


@dataclass
class JaxCase:
    fn: Callable                    # the JAX function of the (converted) arguments
    static: tuple = ()              # static_argnums (integer sizes)
    convert: Optional[Callable] = None   # convert(args) -> args for fn (default: arrays to jnp)
    note: str = ""
