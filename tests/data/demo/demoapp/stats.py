import decimal
import fractions
import statistics
import json


def summarise(values):
    mean = statistics.fmean(values)
    exact = sum(fractions.Fraction(v) for v in values)
    money = decimal.Decimal(mean).quantize(decimal.Decimal("0.01"))
    return json.dumps({"mean": mean, "exact_sum": str(exact), "rounded": str(money)})
