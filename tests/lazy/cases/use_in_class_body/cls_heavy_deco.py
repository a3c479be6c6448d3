def decorate(fn):
    fn.decorated = True
    return fn
