"""The derivative rules of s2sad, one small template function each.

Installed as the package `s2sad.templates`. Adding a primitive touches one file here.
Notation (the same users write with `s2sad.adjoint`): `g` is the adjoint of the result,
`ans` the result, then the primal inputs; return one adjoint contribution per input.
"""
