"""Derivative rules: the registry, and how a template becomes code.

A rule is a tiny Python function written in the notation users also use for their own
rules (see `templates/`):

    @s2sad.adjoint(np.exp, math.exp)
    def exp(g, ans, x):
        return g * ans

`g` is the adjoint of the result, `ans` the result, the remaining parameters are the
primal inputs in order. The function returns one expression per input: the contribution
to that input's adjoint. It is never called: its return expression is parsed once and
substituted into the generated adjoint, so it must be a single `return` of expressions
that use only `np`, `math`, its parameters and literals.

Forward mode (`jvp`, `hvp`) reads the same templates: for an elementwise operation (and for
any function of scalars) the Jacobian is diagonal, so the adjoint template with `g` taken
as the input's tangent is also the tangent rule. Operations whose Jacobian is not diagonal
(reductions, products, reshapes, copies) also register a tangent template beside their
adjoint, in the same notation with `t`, the tangent of one input, in place of `g`:

    @s2sad.tangent(np.sum)
    def sum(t, ans, x, axis=None):
        return np.sum(t) if axis is None else np.sum(t, axis)

It returns one expression per input, its contribution to the tangent of the result; the
contributions of the inputs that carry tangents are added.
"""
import importlib
import inspect
import operator
import textwrap

import gast

from .errors import S2SADError

_REGISTRY = {}          # id(primal function) -> Rule
_TANGENTS = {}          # id(primal function) -> Rule (forward mode), where the adjoint is not one
_KEEP_ALIVE = []        # primal objects whose ids are keys
_NON_DIFFERENTIABLE = set()   # ids of functions whose result never carries a derivative
_LOADED = False


class RuleError(S2SADError):
    """A derivative template is malformed."""


class Rule:
    def __init__(self, template, seed="g"):
        self.name = template.__name__
        self.seed = seed
        source = textwrap.dedent(inspect.getsource(template))
        fdef = gast.parse(source).body[0]
        params = [a.id for a in fdef.args.args]
        defaults = fdef.args.defaults
        options = params[len(params) - len(defaults):] if defaults else []
        self.options = dict(zip(options, defaults))    # keyword options such as axis=None
        params = params[:len(params) - len(defaults)] if defaults else params
        # `*parts`: the last input is a tuple of arrays written in the call, (a, b, c)
        self.sequence = fdef.args.vararg.id if fdef.args.vararg is not None else None
        if self.sequence is not None:
            params.append(self.sequence)
            self.options.update({a.id: d for a, d in zip(fdef.args.kwonlyargs, fdef.args.kw_defaults)})
        if params[:2] != [seed, "ans"] or len(params) < 3:
            raise RuleError(f"derivative template {self.name!r} must be declared as "
                            f"def {self.name}({seed}, ans, <inputs...>)")
        body = [s for s in fdef.body if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant))]
        if len(body) != 1 or not isinstance(body[0], gast.Return) or body[0].value is None:
            raise RuleError(f"derivative template {self.name!r} must consist of one `return` statement")
        value = body[0].value
        self.inputs = params[2:]
        # one input: the whole expression is its part (a tangent of a tuple result is a tuple)
        partials = list(value.elts) if isinstance(value, gast.Tuple) and len(self.inputs) > 1 else [value]
        if len(partials) != len(self.inputs):
            raise RuleError(f"derivative template {self.name!r} returns {len(partials)} "
                            f"expression(s) for {len(self.inputs)} input(s)")
        self.partials = partials

    def arity(self):
        return len(self.inputs)

    def differentiable(self, index):
        """False where the template returns None: that input never gets a contribution."""
        p = self.partials[index]
        return not (isinstance(p, gast.Constant) and p.value is None)

    def bind_options(self, extra_args, keywords):
        """Map extra positional arguments and keywords of a call onto the template's options."""
        names = list(self.options)
        if len(extra_args) > len(names):
            raise RuleError(f"{self.name} takes at most {len(self.inputs) + len(names)} positional arguments")
        bound = dict(self.options)
        bound.update(zip(names, extra_args))
        for key, value in keywords.items():
            if key not in bound:
                raise RuleError(f"the derivative rule {self.name!r} has no option {key!r}")
            bound[key] = value
        return bound

    def partial(self, index, g, ans, args, options=None, element=None):
        """The contribution to input `index`: the template expression with names substituted.

        For a tuple input (`*parts`), `element` is the position of the element whose
        contribution is wanted: the template's `k`."""
        mapping = {self.seed: g, "ans": ans}
        mapping.update(self.options)
        mapping.update(options or {})
        mapping.update(zip(self.inputs, args))
        if element is not None:
            mapping["k"] = gast.Constant(value=element, kind=None)
        return _substitute(self.partials[index], mapping)

    def is_sequence(self, index):
        """Is input `index` a tuple of arrays (`*parts` in the template)?"""
        return self.sequence is not None and index == len(self.inputs) - 1

    def uses_ans(self, index):
        return any(isinstance(n, gast.Name) and n.id == "ans" for n in gast.walk(self.partials[index]))


class _Substitute(gast.NodeTransformer):
    def __init__(self, mapping):
        self.mapping = mapping

    def visit_Name(self, node):
        if node.id in self.mapping and isinstance(node.ctx, gast.Load):
            import copy
            return copy.deepcopy(self.mapping[node.id])
        return node


def _substitute(expr, mapping):
    import copy
    return _Substitute(mapping).visit(copy.deepcopy(expr))


def _registrar(registry, seed, attribute, what):
    def decorator(*primals):
        def register(template):
            rule = Rule(template, seed=seed)
            builtin = _loading_builtins()
            for primal in primals:
                if builtin:
                    registry[id(primal)] = rule
                else:
                    _declare_user_rule(primal)
                    registry[id(primal)] = rule
                    _NON_DIFFERENTIABLE.discard(id(primal))
                _KEEP_ALIVE.append(primal)
            setattr(template, attribute, rule)
            return template
        return register
    decorator.__doc__ = f"Register the decorated template as the {what} rule of every function in `primals`."
    return decorator


adjoint = _registrar(_REGISTRY, "g", "s2sad_rule", "reverse-mode")
tangent = _registrar(_TANGENTS, "t", "s2sad_tangent_rule", "forward-mode")


def non_differentiable(*primals):
    """Declare functions whose results carry no derivative (integer or boolean valued, or cut)."""
    builtin = _loading_builtins()
    for primal in primals:
        if not builtin:
            _declare_user_rule(primal)
        _NON_DIFFERENTIABLE.add(id(primal))
        _KEEP_ALIVE.append(primal)


# A user's rule replaces every built-in rule of the function it names (adjoint, tangent and
# "non-differentiable" alike) and nothing else, whenever it is registered: the built-in
# templates are loaded first, so that loading them later cannot undo it.
_BUILTINS_LOADING = False


def _loading_builtins():
    return _BUILTINS_LOADING


def generation():
    """Changes whenever the user registers a rule: derivatives built before are stale."""
    return _GENERATION[0]


_GENERATION = [0]


def _declare_user_rule(primal):
    _load_builtin_templates()
    _GENERATION[0] += 1
    if id(primal) not in _USER_RULES:
        _USER_RULES.add(id(primal))
        _REGISTRY.pop(id(primal), None)
        _TANGENTS.pop(id(primal), None)
        _NON_DIFFERENTIABLE.discard(id(primal))


_USER_RULES = set()       # ids of functions the user has given rules


def _load_builtin_templates():
    global _LOADED, _BUILTINS_LOADING
    if not _LOADED:
        _LOADED = True
        _BUILTINS_LOADING = True
        try:
            for module in ("arithmetic", "elementary", "reductions", "linalg", "arrays"):
                importlib.import_module(f"s2sad.templates.{module}")
        except BaseException:
            _LOADED = False           # a failed import surfaces again on the next use, as itself
            raise
        finally:
            _BUILTINS_LOADING = False


def lookup(primal):
    _load_builtin_templates()
    return _REGISTRY.get(id(primal))


def lookup_tangent(primal):
    """The forward-mode rule registered for `primal`, or None (then only the adjoint may serve)."""
    _load_builtin_templates()
    return _TANGENTS.get(id(primal))


def is_non_differentiable(primal):
    _load_builtin_templates()
    return id(primal) in _NON_DIFFERENTIABLE


def active_keyword_error(call, keywords, active):
    """The message rejecting a keyword argument of `call` that carries a derivative, or None.

    Derivative templates take keywords only as options (`axis=`), which carry no derivative;
    a keyword naming an input (`np.sum(a=x)`) would have its derivative dropped."""
    carrying = [k for k, v in keywords.items() if isinstance(v, gast.Name) and v.id in active]
    if not carrying:
        return None
    from .codegen import src
    what = src(call.func) if isinstance(call, gast.Call) else "the operation"
    return (f"the keyword argument {carrying[0]}= of {what} carries a derivative, and derivative rules take "
            "keywords only as options that carry none (such as axis=); pass it positionally")


OPERATORS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
    gast.Div: operator.truediv, gast.Pow: operator.pow, gast.USub: operator.neg,
    gast.MatMult: operator.matmul, gast.Mod: operator.mod, gast.FloorDiv: operator.floordiv,
}
