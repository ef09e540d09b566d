"""Fixtures for unit tests of the lowerings in `s2sad.normalize`.

`lower(func, *stages, arg_types=None)` parses a module-level function and runs the named
lowerings in the given order, the way `s2sad.normalize.normalize` calls them (`arg_types`:
the argument types `calls` reads tuple lengths from); `run_lowered(fdef, func)`
renders the lowered FunctionDef back to source, executes it in the function's globals
and returns the resulting Python function.
"""
import copy
from types import SimpleNamespace

import gast
import numpy as np
import pytest

from s2sad.codegen import render
from s2sad.naming import Namer, all_names
from s2sad.normalize import Origins
from s2sad.normalize.anf import to_anf
from s2sad.normalize.augassign import lower_augassign
from s2sad.normalize.calls import bind_calls
from s2sad.normalize.ifexp import lower_ifexp
from s2sad.normalize.iteration import lower_iteration
from s2sad.normalize.loop_else import lower_loop_else
from s2sad.normalize.loop_exits import lower_loop_exits
from s2sad.normalize.returns import lower_returns
from s2sad.normalize.statements import lower_statements, resolve_imports
from s2sad.normalize.unpack import lower_unpacking
from s2sad.parsing import parse_function
from s2sad.resolve import Resolver


def _lower(func, *stages, arg_types=None):
    fdef, location = parse_function(func)
    namer = Namer(all_names(fdef) | {"reserve", "np", "math"} | set(func.__globals__))
    resolver = Resolver(func, fdef, location)
    original = copy.deepcopy(fdef)
    origins = Origins()
    origins.tag(fdef.body)
    for stage in stages:
        if stage == "statements":
            resolve_imports(fdef, location, resolver)
            fdef.body = lower_statements(fdef.body, location, resolver)
        elif stage == "calls":
            bind_calls(fdef, location, namer, resolver, arg_types)
        elif stage == "iteration":
            fdef.body = lower_iteration(fdef.body, namer, location, origins)
        elif stage == "loop_else":
            fdef.body = lower_loop_else(fdef.body, namer, origins)
        elif stage == "returns":
            fdef.body = lower_returns(fdef.body, namer, origins)
        elif stage == "loop_exits":
            fdef.body = lower_loop_exits(fdef.body, namer, origins)
        elif stage == "augassign":
            fdef.body = lower_augassign(fdef.body)
        elif stage == "unpack":
            fdef.body = lower_unpacking(fdef.body, namer, location)
        elif stage == "ifexp":
            fdef.body = lower_ifexp(fdef.body, namer)
        elif stage == "anf":
            resolver.refresh_locals(fdef)
            fdef.body = to_anf(fdef.body, namer, location, resolver)
        else:
            raise ValueError(stage)
    return SimpleNamespace(fdef=fdef, original=original, namer=namer, location=location,
                           resolver=resolver)


def _run_lowered(fdef, func, extra=None):
    """`extra`: global names the lowerings bound (`resolver.extra`: local imports, specialised helpers)."""
    source = render(gast.Module(body=[copy.deepcopy(fdef)], type_ignores=[]))
    namespace = dict(func.__globals__)
    namespace.update(extra or {})
    exec(compile(source, f"<lowered {func.__name__}>", "exec"), namespace)
    lowered = namespace[fdef.name]
    lowered.source = source
    return lowered


def _same_behaviour(func, lowered, args_list):
    """The lowered function returns the same value and leaves array arguments the same."""
    for args in args_list:
        a = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
        b = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
        expected, got = func(*a), lowered(*b)
        assert type(got) is type(expected), lowered.source
        np.testing.assert_array_equal(got, expected, err_msg=lowered.source)
        for x, y in zip(a, b):
            if isinstance(x, np.ndarray):
                np.testing.assert_array_equal(y, x, err_msg=lowered.source)


def _walk_statements(body):
    for stmt in body:
        yield stmt
        for field in ("body", "orelse"):
            yield from _walk_statements(getattr(stmt, field, None) or [])


@pytest.fixture
def lower():
    return _lower


@pytest.fixture
def run_lowered():
    return _run_lowered


@pytest.fixture
def same_behaviour():
    return _same_behaviour


@pytest.fixture
def statements():
    return lambda fdef: list(_walk_statements(fdef.body))
