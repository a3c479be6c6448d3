from boom_names import not_defined_here      # expect: lazy


def use():
    return not_defined_here
