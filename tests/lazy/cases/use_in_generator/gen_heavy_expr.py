def double(i):
    return 2 * i
