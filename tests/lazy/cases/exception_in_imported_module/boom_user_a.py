import boom_value_error                    # expect: lazy


def use():
    return boom_value_error.VALUE
