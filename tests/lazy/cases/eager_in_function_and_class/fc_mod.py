import fc_control                                   # expect: lazy


def load_in_function():
    import fc_in_function                           # expect: eager
    return fc_in_function


def load_from_in_function():
    from fc_from_in_function import FROM_VALUE      # expect: eager
    return FROM_VALUE


class WithImport:
    import fc_in_class_body                         # expect: eager
    from fc_from_in_class import CLASS_FROM         # expect: eager

    def method(self):
        import fc_in_method                         # expect: eager
        return fc_in_method


class Outer:
    class Nested:
        import fc_in_nested_class                   # expect: eager


def closure_maker():
    import fc_in_closure                            # expect: eager

    def inner():
        return fc_in_closure.VALUE
    return inner


def control():
    return fc_control.VALUE
