"""Command line: print the generated derivative of a function.

    s2sad show path/to/file.py:function [--wrt NAME_OR_POS ...] [--mode grad|jvp]
    s2sad show package.module:function --wrt k
    python -m s2sad show ...
"""
import argparse
import importlib
import importlib.util
import os
import sys

from .api import show
from .errors import S2SADError


def load(spec):
    target, _, attr = spec.rpartition(":")
    if not target or not attr:
        raise SystemExit(f"expected FILE.py:FUNCTION or MODULE:FUNCTION, got {spec!r}")
    if target.endswith(".py") or os.path.sep in target:
        name = os.path.splitext(os.path.basename(target))[0]
        module_spec = importlib.util.spec_from_file_location(name, target)
        if module_spec is None:
            raise SystemExit(f"cannot load {target!r}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise SystemExit(f"{target} has no attribute {attr!r}") from None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="s2sad", description="source-to-source automatic differentiation")
    commands = parser.add_subparsers(dest="command", required=True)
    show_cmd = commands.add_parser("show", help="print the generated derivative of FILE.py:FUNCTION")
    show_cmd.add_argument("function", help="FILE.py:FUNCTION or MODULE:FUNCTION")
    show_cmd.add_argument("--wrt", nargs="+", default=["0"],
                          help="parameters to differentiate with respect to (names or positions)")
    show_cmd.add_argument("--mode", choices=["grad", "jvp"], default="grad",
                          help="grad: the reverse-mode gradient (default); jvp: the forward-mode derivative")
    args = parser.parse_args(argv)
    func = load(args.function)
    wrt = [int(w) if w.lstrip("-").isdigit() else w for w in args.wrt]
    try:
        show(func, tuple(wrt) if len(wrt) > 1 else wrt[0], mode=args.mode)
    except S2SADError as exc:
        print(f"s2sad: {exc}", file=sys.stderr)
        return 1
    return 0
