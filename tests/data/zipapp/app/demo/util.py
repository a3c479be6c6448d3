import decimal
import fractions


def greet(who):
    return "hello, " + who


def half(x):
    return fractions.Fraction(x, 2) + int(decimal.Decimal(0))


def explode(why):
    raise RuntimeError("demo exploded " + why)  # the traceback shows this line
