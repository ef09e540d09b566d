"""Front end: from a Python function object to a gast FunctionDef.

Takes a plain function (or a Numba dispatcher, via its ``py_func``) and guarantees:
the returned tree is the function's own ``FunctionDef`` (decorators removed),
every node carries ``lineno`` relative to the *file*, and ``Location`` knows the file
name so that later passes can report ``file:line``.
"""
import copy
import inspect
import textwrap

import gast

from .errors import SourceUnavailableError, UnsupportedError


def python_function(func):
    """The plain Python function behind `func` (unwraps Numba dispatchers; rejects s2sad derivatives)."""
    seen = set()
    while id(func) not in seen:
        seen.add(id(func))
        if hasattr(func, "py_func"):          # numba.njit dispatcher
            func = func.py_func
        elif hasattr(func, "__s2sad_primal__"):
            # a derivative s2sad built: its primal is not what the caller asked to differentiate
            from .errors import NonDifferentiableError
            raise NonDifferentiableError(
                f"{getattr(func, '__name__', 'this function')} is a derivative built by s2sad; s2sad "
                "differentiates source code and cannot differentiate it again here (grad of grad of a "
                "function of one float works; for second derivatives of arrays use s2sad.hvp)")
        else:
            break
    if not inspect.isfunction(func):
        raise UnsupportedError(f"expected a Python function, got {type(func).__name__}",
                               construct="call target")
    return func


class Location:
    """Maps nodes of the parsed tree back to the user's file and line."""

    VIRTUAL = 10 ** 7     # line numbers from here on stand for lines of inlined helpers

    def __init__(self, filename, first_line, source_lines):
        self.filename = filename
        self.first_line = first_line
        self.source_lines = source_lines  # dedented source of the function, one entry per line
        self.virtual = {}                 # virtual line -> (helper's Location, its line, helper name)
        self._virtual_of = {}

    def virtual_line(self, location, line, helper):
        """A line number standing for `line` of an inlined helper (see normalize.inline)."""
        if location.is_virtual(line):
            location, line, helper = location.virtual[line]
        key = (location.filename, line, helper)
        if key not in self._virtual_of:
            number = self.VIRTUAL + len(self.virtual)
            self._virtual_of[key] = number
            self.virtual[number] = (location, line, helper)
        return self._virtual_of[key]

    def is_virtual(self, lineno):
        return lineno is not None and lineno >= self.VIRTUAL and lineno in self.virtual

    def line_of(self, node):
        return getattr(node, "lineno", None)

    def cite(self, lineno):
        """How generated code names a line: `line 12`, or `line 40 of recursion` if inlined."""
        if self.is_virtual(lineno):
            _, line, helper = self.virtual[lineno]
            return f"line {line} of {helper}"
        return f"line {lineno}"

    def text_of_line(self, lineno):
        if self.is_virtual(lineno):
            location, line, _ = self.virtual[lineno]
            return location.text_of_line(line)
        index = lineno - self.first_line
        if 0 <= index < len(self.source_lines):
            return self.source_lines[index].strip()
        return ""

    def unsupported(self, node, construct, message):
        line = self.line_of(node)
        if self.is_virtual(line):
            location, line, helper = self.virtual[line]
            return UnsupportedError(f"{message} (in {helper}, inlined where it is called)", location.filename,
                                    line, construct)
        return UnsupportedError(message, self.filename, line, construct)


SPECIALIZED_FDEF = "__s2sad_fdef__"   # (FunctionDef, Location) of a specialised helper copy


def parse_function(func):
    """Parse `func`; returns (FunctionDef node, Location).

    A specialised copy of a helper (see `normalize.specialize`) has no source of its own:
    its tree is the helper's, specialised, with the helper's file and lines."""
    func = python_function(func)
    specialized = getattr(func, SPECIALIZED_FDEF, None)
    if specialized is not None:
        fdef, location = specialized
        return copy.deepcopy(fdef), location
    try:
        lines, first_line = inspect.getsourcelines(func)
    except (OSError, TypeError) as exc:
        raise SourceUnavailableError(
            f"cannot read the source of {func.__qualname__!r} ({exc}). s2sad transforms source "
            "code, so the function must live in a file (a module, a script, or a Jupyter cell); "
            "functions typed into the plain interactive interpreter have no retrievable source."
        ) from None
    source = textwrap.dedent("".join(lines))
    filename = inspect.getsourcefile(func) or "<unknown>"
    try:
        module = gast.parse(source)
    except SyntaxError as exc:  # e.g. a lambda inside a larger expression
        raise UnsupportedError(f"could not parse the function's source: {exc.msg}",
                               filename, first_line, "source") from None
    node = module.body[0]
    if not isinstance(node, gast.FunctionDef):
        raise UnsupportedError("only functions defined with `def` can be differentiated",
                               filename, first_line, type(node).__name__)
    node.decorator_list = []
    gast.increment_lineno(module, first_line - 1)
    return node, Location(filename, first_line, source.splitlines())
