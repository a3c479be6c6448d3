import boom_with_cause                    # expect: lazy


def use():
    return boom_with_cause.VALUE
