"""Random programs rewritten into the constructs of issue 7, for `test_random_statements.py`.

`rewrite(source, seed)` takes the source of a random program (`random_programs` or
`random_programs_extended`) and returns an equivalent program that exercises the lowerings
`statements`, `calls`, `loop_else` and `specialize`:

* calls of the module's helpers pass their arguments by keyword, in a shuffled order, some
  positionally first (`h1(a, s=v)`);
* `assert <comparison that holds>` statements are inserted between statements (they split
  the straight-line blocks the reverse sweep recomputes from);
* `for` and `while` loops get an `else:` block (an assertion, or `pass`-like dead store to a
  fresh local) -- it runs only when the loop ends without `break`;
* `f` gets an unused defaulted parameter (`def f(x, p, unused_default=3):`).

The rewritten program computes exactly what the original does, so the oracle of
`random_programs.check_program` (finite differences, forward mode, HVP, jit against no jit)
applies unchanged.
"""
import ast
import random


def rewrite(source, seed):
    rng = random.Random(seed)
    tree = ast.parse(source)
    helpers = {node.name: [a.arg for a in node.args.args] for node in tree.body
               if isinstance(node, ast.FunctionDef) and node.name != "f"}

    class Calls(ast.NodeTransformer):
        def visit_Call(self, node):
            self.generic_visit(node)
            if isinstance(node.func, ast.Name) and node.func.id in helpers and not node.keywords and \
                    len(node.args) == len(helpers[node.func.id]):
                params = helpers[node.func.id]
                keep = rng.randrange(len(params) + 1)          # the first `keep` stay positional
                rest = list(zip(params[keep:], node.args[keep:]))
                rng.shuffle(rest)
                node.keywords = [ast.keyword(arg=p, value=a) for p, a in rest]
                node.args = node.args[:keep]
            return node

    tree = Calls().visit(tree)
    counter = [0]

    def holds(in_f):
        counter[0] += 1
        kind = rng.randrange(3) if in_f else rng.choice([0, 2])
        if kind == 0:
            return ast.parse(f"assert {counter[0]} > 0, 'never fails'").body[0]
        if kind == 1:
            return ast.parse("assert x.shape[0] > 0").body[0]
        return ast.parse(f"assert True, 'checkpoint {counter[0]}'").body[0]

    def statements(body, in_f):
        out = []
        for stmt in body:
            for field in ("body", "orelse"):
                block = getattr(stmt, field, None)
                if isinstance(block, list) and block and not isinstance(stmt, ast.FunctionDef):
                    setattr(stmt, field, statements(block, in_f))
            if isinstance(stmt, (ast.For, ast.While)) and not stmt.orelse and rng.random() < 0.6:
                stmt.orelse = [holds(in_f)]
            if rng.random() < 0.3 and not isinstance(stmt, ast.Return):
                out.append(holds(in_f))
            out.append(stmt)
        return out

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            node.body = statements(node.body, node.name == "f")
            if node.name == "f":
                node.args.args.append(ast.arg(arg="unused_default"))
                node.args.defaults = [ast.Constant(value=3)]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
