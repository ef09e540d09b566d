"""Forward-mode (tangent) transform: one sweep computing the value and its directional derivative.

Takes the three-address body (see `normalize.anf`), inferred types and activity; returns the
statements of a function in which every active simple statement is accompanied by the
statement computing its tangent (`x_dot`, the derivative along the input tangents).
Control flow is kept exactly as written, so forward mode needs no tapes: loops, branches and
early exits run once, and each tangent is computed next to its value.

Guarantees:
* a tangent is computed *after* its statement when the statement's target is a fresh name
  (the rule may then read the result, `ans`), *before* it when the statement overwrites one
  of its own inputs (`s = s * x`: the tangent needs the old `s`);
* tangents alias exactly as the values do: `b = a` gives `b_dot = a_dot`, a slice `x[1:-1]`
  gives the view `x_dot[1:-1]`, a copy gives a copy, and an array result that is a fresh
  array in the primal gets a fresh tangent (`y = x + c` with `c` constant: `x_dot.copy()`);
* element stores are per element: `a[0] = 0.0` zeroes `a_dot[0]` and nothing else;
* calls to the user's helpers call the helper's own generated tangent function
  (`h_jvp(a, b, a_dot)` returns the result and its tangent), generated once per
  (helper, inputs with tangents, argument types).

Rules come from `templates/` (see `rules`): a registered tangent template, or for
elementwise operations and functions of scalars the adjoint template with `g` := tangent.
"""
from collections import Counter

import gast
import numpy as np

from . import rules
from .anf_info import read_names, stored_array, target_name, walk_statements
from .codegen import comment, name, src, stmt
from .helpers import user_function
from .normalize import origin_of
from .reverse import _METHODS
from .runtime_api import stop_gradient
from .simplify import simplify
from .types import FLOAT, INT, BOOL, Array, TupleType


class ForwardTransform:
    """Rewrites the three-address body in place; `run()` returns it with tangents, `outputs()`
    what the generated function returns."""

    def __init__(self, fdef, origins, types, activity, resolver, namer, location, wrt):
        self.fdef = fdef
        self.origins = origins
        self.types = types
        self.active = activity.active
        self.resolver = resolver
        self.namer = namer
        self.location = location
        self.wrt = wrt
        self.params = [a.id for a in fdef.args.args]
        self.locals = set(types) | set(self.params)
        self.dot_names = {}
        self.dependencies = {}       # generated helper tangent functions this code calls
        # user lines that get tangent code: each is cited once, above its first statement
        self._with_tangents = {origin_of(s) for s, _ in walk_statements(fdef.body)
                               if (target_name(s) or stored_array(s)) in self.active}
        self._cited = set()
        # tuples (helper results) are never built: name -> [(value source, tangent source)]
        self.tuple_parts = {}
        self.definitions = Counter(target_name(node) for node, _ in walk_statements(fdef.body)
                                   if target_name(node))

    def dot(self, n):
        if n not in self.dot_names:
            self.dot_names[n] = self.namer.fresh(f"{n}_dot")
        return self.dot_names[n]

    def unsupported(self, node, construct, message):
        origin = origin_of(node)
        where = self.origins[origin] if origin is not None else node
        return self.location.unsupported(where, construct, message)

    # ------------------------------------------------------------------ statements
    def run(self):
        """The transformed body, without the final `return` (the caller builds the outputs)."""
        return self.body(self.fdef.body[:-1])

    def body(self, nodes):
        out = []
        for node in nodes:
            origin = origin_of(node)
            if isinstance(node, (gast.Assign, gast.AugAssign)) and origin in self._with_tangents \
                    and origin not in self._cited:
                self._cited.add(origin)
                out.append(self._citation(origin))
            out.extend(self.statement(node))
        return out

    def _citation(self, origin):
        original = self.origins[origin]
        line = getattr(original, "lineno", None)
        text = src(original).split("\n")[0]
        return comment(f"{self.location.cite(line)}: {text}" if line else text)

    def statement(self, node):
        if isinstance(node, (gast.For, gast.While)):
            node.body = self.body(node.body) or [gast.Pass()]     # `for i in range(n): pass`
            return [node]
        if isinstance(node, gast.If):
            node.body = self.body(node.body) or [gast.Pass()]
            node.orelse = self.body(node.orelse)
            return [node]
        if isinstance(node, gast.AugAssign):
            return self._augmented_store(node)
        if isinstance(node, gast.Assign):
            if stored_array(node):
                return self._store(node)
            if target_name(node) is not None:
                return self._assignment(node)
        if isinstance(node, (gast.Expr, gast.Assert, gast.Raise, gast.Pass)):
            return [node]          # print(...), assert: as written, no tangent
        raise self.unsupported(node, type(node).__name__, "not supported by forward mode")

    def _store(self, node):
        target = node.targets[0]
        array = target.value.id
        if array not in self.active:
            return [node]
        value = node.value
        tangent = name(self.dot(value.id)) if isinstance(value, gast.Name) and value.id in self.active \
            else gast.Constant(value=0.0, kind=None)
        store = gast.Assign(targets=[gast.Subscript(value=name(self.dot(array)), slice=target.slice,
                                                    ctx=gast.Store())], value=tangent, type_comment=None)
        return [node, store]

    def _augmented_store(self, node):
        target = node.target
        array = target.value.id if isinstance(target, gast.Subscript) else None
        value = node.value
        if array not in self.active or not (isinstance(value, gast.Name) and value.id in self.active):
            return [node]
        store = gast.AugAssign(target=gast.Subscript(value=name(self.dot(array)), slice=target.slice,
                                                     ctx=gast.Store()), op=node.op, value=name(self.dot(value.id)))
        return [node, store]

    def _assignment(self, node):
        t = target_name(node)
        value = node.value
        if isinstance(self.types.get(t), TupleType) and isinstance(value, gast.Tuple):
            return self._tuple_display(t, value)     # `return a, b`: the parts are returned flat
        tuple_read = isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name) and \
            isinstance(self.types.get(value.value.id), TupleType)
        if tuple_read and not _literal_index(value.slice) and \
                (value.value.id in self.tuple_parts or value.value.id in self.active):
            raise self.unsupported(node, "tuple", "a tuple that carries derivatives may be indexed by integer "
                                                  "literals only (p[0], p[1]); index an array instead")
        if tuple_read and value.value.id in self.tuple_parts:
            return self._tuple_element(t, value.value.id, value.slice.value)
        if t not in self.active:
            return [node]
        if self._is_helper_call(value):
            return self._helper_call(node, t, value)
        overwrites = t in read_names(node, self.locals)
        # the rule may read the result: the target itself, or (when the statement overwrites
        # one of its inputs and the tangent must come first) the primal expression again
        ans = value if overwrites else name(t)
        tangent = self.tangent_of(node, value, t, ans)
        if tangent is None:
            tangent = self.zero_like(t)
            overwrites = False
        if isinstance(self.types.get(t), TupleType) and isinstance(tangent, gast.Tuple) and not overwrites:
            return [node] + self._tuple_result_tangents(t, tangent)
        assign = gast.Assign(targets=[name(self.dot(t))], value=tangent, type_comment=None)
        return [assign, node] if overwrites else [node, assign]

    def _tuple_display(self, t, display):
        """Record the parts of `t = (a, b)`; a tuple assigned in several places (a helper with
        two `return`s) gets one variable per part, assigned at each place."""
        parts = [(src(e), self._tangent_source(e)) for e in display.elts]
        if self.definitions.get(t, 0) == 1:
            self.tuple_parts[t] = parts
            return []
        if t not in self.tuple_parts:
            values = [self.namer.fresh(f"{t}_{k}") for k in range(len(parts))]
            self.tuple_parts[t] = [(v, self.namer.fresh(f"{v}_dot")) for v in values]
        return [stmt(f"{name_} = {part}") for (v, d), (pv, pd) in zip(self.tuple_parts[t], parts)
                for name_, part in ((v, pv), (d, pd))]

    def _tangent_source(self, atom):
        tangent = self._tangent_name(atom)
        return src(tangent if tangent is not None else self._zero_atom(atom))

    def _tuple_result_tangents(self, t, tangent):
        """`t = np.linalg.slogdet(a)`: one tangent variable per element, as for helpers' tuples
        (a tuple of tangents is never built)."""
        if t not in self.tuple_parts:
            names = [self.namer.fresh(f"{t}_{k}_dot") for k in range(len(tangent.elts))]
            self.tuple_parts[t] = [(f"{t}[{k}]", n) for k, n in enumerate(names)]
        return [stmt(f"{d} = {src(e)}") for (_, d), e in zip(self.tuple_parts[t], tangent.elts)]

    def _tuple_element(self, t, whole, k):
        value, tangent = self.tuple_parts[whole][k]
        out = [stmt(f"{t} = {value}")]
        if t in self.active:
            out.append(stmt(f"{self.dot(t)} = {tangent}"))
        return out

    def outputs(self, result, helper):
        """Source of what the generated function returns: value and tangent of `result`;
        a helper returns tuple results flat (values, then tangents), which callers unpack at once."""
        if isinstance(result, gast.Name) and result.id in self.tuple_parts:
            parts = self.tuple_parts[result.id]
            values, tangents = [v for v, _ in parts], [d for _, d in parts]
            if helper:
                return ", ".join(values + tangents)
            return f"({', '.join(values)}), ({', '.join(tangents)})"
        if isinstance(result, gast.Name):
            return f"{src(result)}, {self._tangent_source(result)}"
        return f"{src(result)}, 0.0"

    def zero_like(self, t):
        kind = self.types.get(t)
        if isinstance(kind, Array):
            return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                             args=[name(t)], keywords=[])
        if isinstance(kind, TupleType):
            return gast.Tuple(elts=[self._zero_element(t, k, e) for k, e in enumerate(kind.elts)], ctx=gast.Load())
        return gast.Constant(value=0.0, kind=None)

    def _zero_element(self, t, k, kind):
        if isinstance(kind, Array):
            element = gast.Subscript(value=name(t), slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
            return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                             args=[element], keywords=[])
        return gast.Constant(value=0.0, kind=None)

    # ------------------------------------------------------------------ tangents of expressions
    def _tangent_name(self, atom):
        if isinstance(atom, gast.Name) and atom.id in self.active:
            return name(self.dot(atom.id))
        return None

    def tangent_of(self, node, value, t, ans):
        """The tangent expression of `t = value`, or None where it is zero."""
        if isinstance(value, gast.Constant) or self.resolver.is_global_ref(value):
            return None
        if isinstance(value, gast.Name):
            return self._tangent_name(value)                    # b = a: b_dot aliases a_dot, as b does a
        if isinstance(value, gast.Subscript):
            base = value.value
            if not (isinstance(base, gast.Name) and base.id in self.active):
                return None
            if isinstance(self.types.get(base.id), TupleType):
                elements = self.types[base.id].elts
                index = value.slice.value
                if not isinstance(elements[index], Array) and not elements[index] == FLOAT:
                    return None
            return gast.Subscript(value=name(self.dot(base.id)), slice=value.slice, ctx=gast.Load())
        if isinstance(value, gast.Attribute) and value.attr == "T":
            base = self._tangent_name(value.value)
            return gast.Attribute(value=base, attr="T", ctx=gast.Load()) if base is not None else None
        if isinstance(value, gast.Tuple):
            if not any(self._tangent_name(e) for e in value.elts):
                return None
            return gast.Tuple(elts=[self._tangent_name(e) or self._zero_atom(e) for e in value.elts],
                              ctx=gast.Load())
        if isinstance(value, gast.Call) and self._is_array_display(value):
            elements = value.args[0].elts
            if not any(self._tangent_name(e) for e in elements):
                return None
            display = gast.Tuple(elts=[self._tangent_name(e) or gast.Constant(value=0.0, kind=None)
                                       for e in elements], ctx=gast.Load())
            return gast.Call(func=value.func, args=[display], keywords=[])
        return self._rule_tangent(node, value, t, ans)

    def _zero_atom(self, atom):
        if isinstance(atom, gast.Name) and isinstance(self.types.get(atom.id), Array):
            return gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                             args=[name(atom.id)], keywords=[])
        return gast.Constant(value=0.0, kind=None)

    def _is_array_display(self, value):
        return (self.resolver.is_global_ref(value.func) and self.resolver.value_of(value.func) is np.array
                and len(value.args) == 1 and isinstance(value.args[0], gast.Tuple) and not value.keywords)

    def _primal_and_args(self, node, value):
        if isinstance(value, gast.BinOp):
            return rules.OPERATORS.get(type(value.op)), [value.left, value.right], {}
        if isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub):
            return rules.OPERATORS[gast.USub], [value.operand], {}
        if isinstance(value, gast.Call) and self.resolver.is_global_ref(value.func):
            return (self.resolver.value_of(value.func), list(value.args),
                    {k.arg: k.value for k in value.keywords})
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and value.func.attr in _METHODS:
            return (_METHODS[value.func.attr], [value.func.value] + list(value.args),
                    {k.arg: k.value for k in value.keywords})
        raise self.unsupported(node, type(value).__name__, f"cannot differentiate `{src(value)}` yet")

    def _rule_tangent(self, node, value, t, ans):
        primal, args, keywords = self._primal_and_args(node, value)
        active = [k for k, a in enumerate(args) if self._active_atom(a)]
        if primal is stop_gradient or rules.is_non_differentiable(primal):
            return None                   # np.zeros_like(x), np.floor(x): no tangent flows through
        keyword_error = rules.active_keyword_error(value, keywords, self.active)
        if keyword_error:
            raise self.unsupported(node, "keyword argument", keyword_error)
        if not active:
            return None
        what = src(value.func) if isinstance(value, gast.Call) else type(getattr(value, "op", value)).__name__
        rule = rules.lookup_tangent(primal)
        if rule is None and self._diagonal(value, args, t):
            rule = rules.lookup(primal)
        if rule is None:
            if rules.lookup(primal) is not None:
                raise self.unsupported(node, "call", f"{what} has a reverse-mode rule but no forward-mode rule; "
                                                     "register one with @s2sad.tangent")
            raise self.unsupported(node, "call" if isinstance(value, gast.Call) else "operator",
                                   f"no derivative rule for {what}; register one with @s2sad.adjoint")
        if rule.arity() > len(args):
            raise self.unsupported(node, "call", f"the derivative rule of {what} takes {rule.arity()} "
                                                 f"argument(s), the call passes {len(args)}")
        try:
            options = rule.bind_options(args[rule.arity():], keywords)
        except rules.RuleError as exc:
            raise self.unsupported(node, "call", str(exc)) from None
        terms = []
        for k in (k for k in active if k < rule.arity()):
            if not rule.differentiable(k):
                raise self.unsupported(node, "call", f"argument {k + 1} of {what} is not differentiable; "
                                                     "wrap it in s2sad.stop_gradient(...) if that is intended")
            terms.append(rule.partial(k, self._argument_tangent(args[k], rule.is_sequence(k), node, what),
                                      ans, args[:rule.arity()], options))
        if not terms:
            return None
        if isinstance(self.types.get(t), TupleType):
            return self._tuple_tangent(terms, t)
        total = terms[0]
        for term in terms[1:]:
            total = gast.BinOp(left=total, op=gast.Add(), right=term)
        total = simplify(total)
        if isinstance(total, gast.Name) and isinstance(self.types.get(t), Array):
            # the primal result is a new array (x + c): its tangent must not share memory with
            # x_dot, or a store through any name for the result would reach x_dot
            total = gast.Call(func=gast.Attribute(value=total, attr="copy", ctx=gast.Load()), args=[], keywords=[])
        return total

    def _active_atom(self, atom):
        if isinstance(atom, gast.Tuple):
            return any(self._active_atom(e) for e in atom.elts)
        return isinstance(atom, gast.Name) and atom.id in self.active

    def _argument_tangent(self, atom, sequence, node, what):
        """The tangent of an argument; for a tuple of arrays (`*parts` in the rule), the tuple of
        the elements' tangents, zeros for the elements without one."""
        if isinstance(atom, gast.Tuple) and sequence:       # arrays (locals or module constants)
            zeros = [gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                               args=[e], keywords=[]) for e in atom.elts]
            return gast.Tuple(elts=[self._tangent_name(e) or zero for e, zero in zip(atom.elts, zeros)],
                              ctx=gast.Load())
        if isinstance(atom, gast.Name):
            return name(self.dot(atom.id))
        raise self.unsupported(node, "call", f"write the arrays passed to {what} as a tuple in the call"
                                             if sequence else f"a tuple argument of {what} is not differentiable")

    def _tuple_tangent(self, terms, t):
        """A tuple result: each input's tangent template gives a tuple (None where that input
        does not reach an element); the elements are summed one by one."""
        elements = []
        for k, elt_type in enumerate(self.types[t].elts):
            parts = []
            for term in terms:
                part = term.elts[k] if isinstance(term, gast.Tuple) else \
                    gast.Subscript(value=term, slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
                if not (isinstance(part, gast.Constant) and part.value is None):
                    parts.append(part)
            if not parts:
                element = gast.Subscript(value=name(t), slice=gast.Constant(value=k, kind=None), ctx=gast.Load())
                parts = [gast.Call(func=gast.Attribute(value=name("np"), attr="zeros_like", ctx=gast.Load()),
                                   args=[element], keywords=[])
                         if isinstance(elt_type, Array) else gast.Constant(value=0.0, kind=None)]
            total = parts[0]
            for part in parts[1:]:
                total = gast.BinOp(left=total, op=gast.Add(), right=part)
            elements.append(simplify(total))
        return gast.Tuple(elts=elements, ctx=gast.Load())

    def _diagonal(self, value, args, t):
        """Is the Jacobian of `value` diagonal, so that its adjoint template is its tangent rule?"""
        if isinstance(value, gast.BinOp):
            return not isinstance(value.op, gast.MatMult)
        if isinstance(value, gast.UnaryOp):
            return True
        if isinstance(value, gast.Call) and self.resolver.is_global_ref(value.func):
            func = self.resolver.value_of(value.func)
            if isinstance(func, np.ufunc) and func.signature is None or \
                    func in (np.where, np.clip, abs, min, max) or \
                    getattr(func, "__module__", None) == "math":
                return True
        # a function of scalars: every Jacobian is 1 x 1
        return self.types.get(t) == FLOAT and all(
            isinstance(a, gast.Constant) or self.types.get(getattr(a, "id", None)) in (FLOAT, INT, BOOL)
            for a in args)

    # ------------------------------------------------------------------ helper calls
    def _is_helper_call(self, value):
        if not (isinstance(value, gast.Call) and self.resolver.is_global_ref(value.func)):
            return False
        func = self.resolver.value_of(value.func)
        return rules.lookup(func) is None and rules.lookup_tangent(func) is None and \
            user_function(func) is not None and not rules.is_non_differentiable(func)

    def _helper_call(self, node, t, value):
        """`t, t_dot = h_jvp(args..., tangents of the active args...)`."""
        from .transform import derive_tangent
        from .types import TypeInference
        helper = user_function(self.resolver.value_of(value.func))
        args = value.args
        if value.keywords:
            raise self.unsupported(node, "call", f"keyword arguments to {src(value.func)} are not supported yet")
        params = list(helper.__code__.co_varnames[:helper.__code__.co_argcount])
        if len(params) != len(args):
            raise self.unsupported(node, "call", f"{helper.__name__} takes {len(params)} argument(s), "
                                                 f"the call passes {len(args)}")
        active = [k for k, a in enumerate(args) if isinstance(a, gast.Name) and a.id in self.active]
        if not active:
            if isinstance(self.types.get(t), TupleType):
                values = [self.namer.fresh(f"{t}_{k}") for k in range(len(self.types[t].elts))]
                self.tuple_parts[t] = [(v, f"np.zeros_like({v})" if isinstance(e, Array) else "0.0")
                                       for v, e in zip(values, self.types[t].elts)]
                return [stmt(f"{', '.join(values)} = {src(value)}")]
            return [node, gast.Assign(targets=[name(self.dot(t))], value=self.zero_like(t), type_comment=None)]
        arg_types = {p: TypeInference(self.resolver, self.types).expr(a) for p, a in zip(params, args)}
        derivative = derive_tangent(helper, [params[k] for k in active], arg_types, helper=True)
        self.dependencies[derivative.name] = derivative
        inputs = [src(a) for a in args] + [self.dot(args[k].id) for k in active]
        call = f"{derivative.name}({', '.join(inputs)})"
        result = self.types.get(t)
        if isinstance(result, TupleType):
            # the helper returns its tuple flat: values, then tangents
            values = [self.namer.fresh(f"{t}_{k}") for k in range(len(result.elts))]
            tangents = [self.namer.fresh(f"{v}_dot") for v in values]
            self.tuple_parts[t] = list(zip(values, tangents))
            return [stmt(f"{', '.join(values + tangents)} = {call}")]
        return [stmt(f"{t}, {self.dot(t)} = {call}")]


def _literal_index(index):
    return isinstance(index, gast.Constant) and isinstance(index.value, int) and not isinstance(index.value, bool)
