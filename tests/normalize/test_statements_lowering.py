"""Unit tests of `s2sad.normalize.statements`: function-local imports, print and assert,
statements that never run."""
import math

import gast
import numpy as np
import pytest

from s2sad import UnsupportedError
from s2sad.codegen import render


def imports(x, v):
    import math
    import numpy as np
    import numpy.linalg
    from math import exp, sqrt as root
    from numpy import zeros
    w = zeros(v.shape[0])
    for i in range(v.shape[0]):
        w[i] = exp(v[i] * x) + root(x) * math.cos(v[i])
    return np.sum(w * w) + numpy.linalg.norm(w)


def nested_import(x):
    if x > 0.0:
        from math import exp
        y = exp(x)
    else:
        y = -x
    return y


def prints_and_asserts(x):
    assert x > 0.0, "x must be positive"
    "a string on its own is a comment"
    y = x * 2.0
    print("y is", y)
    return y


def dead_code(x, n):
    for i in range(n):
        if x > 1.0:
            x = x * 0.5
            continue
            x = x + 1.0
        x = x * 1.5
    if x > 2.0:
        return x
    else:
        return -x
    x = 3.0
    return x


def lines(fdef):
    return render(fdef).strip().splitlines()[1:]


def test_imports_are_removed_and_resolve_as_globals(lower, run_lowered, same_behaviour):
    lowered = lower(imports, "statements")
    assert not any(isinstance(n, (gast.Import, gast.ImportFrom)) for n in gast.walk(lowered.fdef))
    extra = lowered.resolver.extra
    assert extra == {"math": math, "np": np, "numpy": np, "exp": math.exp, "root": math.sqrt,
                     "zeros": np.zeros}
    for name, value in extra.items():
        node = gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)
        assert lowered.resolver.is_global_ref(node) and lowered.resolver.value_of(node) is value
    same_behaviour(imports, run_lowered(lowered.fdef, imports, extra), [(0.3, np.array([0.5, -1.0]))])


def test_an_import_inside_a_branch_is_resolved_too(lower):
    lowered = lower(nested_import, "statements")
    assert lines(lowered.fdef)[:3] == ["    if x > 0.0:", "        y = exp(x)", "    else:"]
    assert lowered.resolver.extra == {"exp": math.exp}


def test_print_and_assert_stay_and_string_statements_go(lower):
    assert lines(lower(prints_and_asserts, "statements").fdef) == [
        "    assert x > 0.0, 'x must be positive'",
        "    y = x * 2.0",
        "    print('y is', y)",
        "    return y",
    ]


def test_statements_that_never_run_are_dropped(lower, run_lowered, same_behaviour):
    lowered = lower(dead_code, "statements")
    assert lines(lowered.fdef) == [
        "    for i in range(n):",
        "        if x > 1.0:",
        "            x = x * 0.5",
        "            continue",
        "        x = x * 1.5",
        "    if x > 2.0:",
        "        return x",
        "    else:",
        "        return -x",
    ]
    same_behaviour(dead_code, run_lowered(lowered.fdef, dead_code), [(0.7, 3), (3.0, 2), (1.2, 0)])


def side_effect(x, v):
    v.sort()
    return x


def imports_what_it_assigns(x):
    from math import exp
    exp = x * 2.0
    return exp


def imports_nothing(x):
    import no_such_module_for_s2sad_tests
    return x


def imports_two_objects(x):
    if x > 0.0:
        from math import exp
    else:
        from numpy import exp
    return exp(x)


@pytest.mark.parametrize("func, construct, words", [
    (side_effect, "expression statement", "except print(...)"),
    (imports_what_it_assigns, "import", "'exp' is imported and also assigned"),
    (imports_nothing, "import", "No module named 'no_such_module_for_s2sad_tests'"),
    (imports_two_objects, "import", "'exp' is imported twice"),
])
def test_bad_statements_are_unsupported_with_location(lower, func, construct, words):
    with pytest.raises(UnsupportedError) as info:
        lower(func, "statements")
    assert info.value.construct == construct and words in str(info.value)
    assert info.value.lineno is not None
