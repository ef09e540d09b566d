"""Two helpers of one name, from two modules, called by one function (see test_helpers)."""
from tests.programs.twin import cube, square


def both(x):
    return square.power(x) + cube.power(x)
