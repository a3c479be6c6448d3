import statistics

from ..util import half


def summary(values):
    return "mean=%s half=%s" % (statistics.mean(values), half(len(values)))
