"""Errors raised by s2sad. Every error a user can trigger derives from S2SADError."""


class S2SADError(Exception):
    """Base class of every error s2sad raises on purpose."""


class SourceUnavailableError(S2SADError):
    """The source of the function to differentiate cannot be read."""


class UnsupportedError(S2SADError):
    """A construct outside the supported subset; the message names file, line and construct."""

    def __init__(self, message, filename=None, lineno=None, construct=None):
        self.filename = filename
        self.lineno = lineno
        self.construct = construct
        where = ""
        if filename is not None:
            where = f"{filename}:{lineno}: " if lineno is not None else f"{filename}: "
        what = f"{construct}: " if construct else ""
        super().__init__(f"{where}{what}{message}")


class NonDifferentiableError(S2SADError):
    """Differentiation was requested where it is not defined (integer input, non-scalar output)."""


class WrtError(S2SADError):
    """The `wrt` argument names no parameter, or names one twice."""
