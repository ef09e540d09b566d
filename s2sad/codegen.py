"""Small helpers to build gast code from text, and to turn a tree into readable source."""
import ast
import re

import astor
import gast

_COMMENT_CALL = "__s2sad_comment__"


def src(node):
    """Python source of one gast expression or statement, without a trailing newline."""
    if isinstance(node, str):
        return node
    return ast.unparse(gast.gast_to_ast(node))     # always one line, so it can be embedded



def index_src(index):
    """Source of a subscript's index, as written between the brackets (`i, :` not `(i, :)`)."""
    if isinstance(index, gast.Tuple):
        return ", ".join(src(e) for e in index.elts)
    return src(index)


def stmts(text):
    """Parse statements from text (dedented by the caller)."""
    return gast.parse(text).body


def stmt(text):
    (node,) = stmts(text)
    return node


def expr(text):
    return stmt(text).value


def comment(text):
    """A statement that `render` turns into `# text`."""
    return gast.Expr(value=gast.Call(func=gast.Name(id=_COMMENT_CALL, ctx=gast.Load(), annotation=None,
                                                  type_comment=None),
                                     args=[gast.Constant(value=text, kind=None)], keywords=[]))


def name(identifier):
    return gast.Name(id=identifier, ctx=gast.Load(), annotation=None, type_comment=None)


_COMMENT_LINE = re.compile(r"^(\s*)" + _COMMENT_CALL + r"\((\d+)\)\s*$")


def render(module_or_def):
    """Source text of a tree, with comment markers turned into comments."""
    texts = []
    for node in gast.walk(module_or_def):
        if is_comment(node):
            texts.append(node.value.args[0].value)
            node.value.args[0] = gast.Constant(value=len(texts) - 1, kind=None)
    text = astor.to_source(gast.gast_to_ast(module_or_def))
    out = []
    for line in text.splitlines():
        match = _COMMENT_LINE.match(line)
        out.append(f"{match.group(1)}# {texts[int(match.group(2))]}" if match else line)
    return "\n".join(out) + "\n"


def is_comment(node):
    return (isinstance(node, gast.Expr) and isinstance(node.value, gast.Call)
            and isinstance(node.value.func, gast.Name) and node.value.func.id == _COMMENT_CALL)
