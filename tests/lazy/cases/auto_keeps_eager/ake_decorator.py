def tag(fn):
    fn.tag = "deco"
    return fn
