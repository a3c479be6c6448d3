def f(i):
    return i * 10
