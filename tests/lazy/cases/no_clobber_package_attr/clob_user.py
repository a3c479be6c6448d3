from clob_pkg import bar as bar_value        # expect: lazy


def get_bar():
    return bar_value
