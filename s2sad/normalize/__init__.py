"""Normalisation before AD: one lowering per module, applied in this order.

0. `statements`: function-local imports become global references, dead code goes, and
   `print`/`assert` stay as forward-only statements; `calls`: calls of the user's
   functions get one positional argument per parameter (keywords, defaults, `*args`), and
   functions or tuples passed to them specialise the callee (`specialize`).
1. `iteration`: `for` over arrays, enumerate, zip become range loops; `loop_else`: a loop's
   `else:` runs under `if not broke:`; `returns`, then `loop_exits`: early `return`,
   `break` and `continue` become flags.
2. `augassign`: `x op= e` becomes `x = x op e` (subscript `+=`/`-=` stay: they have a cheap adjoint).
3. `unpack`: tuple unpacking and chained assignment become single assignments.
4. `ifexp`: conditional expressions become `if` statements.
5. `anf`: three-address form: every simple statement applies one operation to atoms.

Every statement keeps an integer `s2sad_origin` attribute: the index of the user's
statement it came from (see `Origins`), so generated code can cite primal lines.
"""
import copy


from .anf import to_anf
from .augassign import lower_augassign
from .calls import bind_calls
from .ifexp import lower_ifexp
from .iteration import lower_iteration
from .loop_else import lower_loop_else
from .loop_exits import lower_loop_exits
from .returns import lower_returns
from .statements import lower_statements, resolve_imports
from .unpack import lower_unpacking

ORIGIN = "s2sad_origin"


class Origins:
    """The user's simple statements, by index, as they were before normalisation."""

    def __init__(self):
        self.statements = []

    def tag(self, body):
        for stmt in body:
            setattr(stmt, ORIGIN, len(self.statements))
            self.statements.append(copy.deepcopy(stmt))
            for field in ("body", "orelse"):
                self.tag(getattr(stmt, field, []) or [])

    def add(self, stmt):
        """Register a statement a lowering synthesised; it is emitted as it stands."""
        setattr(stmt, ORIGIN, len(self.statements))
        self.statements.append(copy.deepcopy(stmt))

    def __getitem__(self, index):
        return self.statements[index]


def origin_of(stmt):
    return getattr(stmt, ORIGIN, None)


def copy_origin(source, *targets):
    for target in targets:
        setattr(target, ORIGIN, getattr(source, ORIGIN, None))
    return targets[0] if len(targets) == 1 else targets


def normalize(fdef, location, namer, resolver, arg_types=None):
    """Run all lowerings on `fdef` in place; returns the Origins table.

    `arg_types` (parameter -> type) tells `calls` the length of tuple parameters."""
    from ..subset import check_range_loops
    resolve_imports(fdef, location, resolver)
    fdef.body = lower_statements(fdef.body, location, resolver)
    bind_calls(fdef, location, namer, resolver, arg_types)
    origins = Origins()          # the user's statements as the forward sweep runs them: calls bound
    origins.tag(fdef.body)
    fdef.body = lower_iteration(fdef.body, namer, location, origins)
    check_range_loops(fdef, location)
    fdef.body = lower_loop_else(fdef.body, namer, origins)
    fdef.body = lower_returns(fdef.body, namer, origins)
    fdef.body = lower_loop_exits(fdef.body, namer, origins)
    fdef.body = lower_augassign(fdef.body)
    fdef.body = lower_unpacking(fdef.body, namer, location)
    fdef.body = lower_ifexp(fdef.body, namer)
    resolver.refresh_locals(fdef)
    fdef.body = to_anf(fdef.body, namer, location, resolver)
    return origins
