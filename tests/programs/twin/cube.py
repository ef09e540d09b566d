def power(x):
    return x * x * x
