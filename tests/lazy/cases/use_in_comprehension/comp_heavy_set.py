def norm(s):
    return s.lower()
