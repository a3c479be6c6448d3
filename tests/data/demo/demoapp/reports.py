import csv
import datetime
import email.message
import html
import io
import textwrap
import xml.dom.minidom
from collections import OrderedDict, namedtuple
from functools import reduce as fold

Row = namedtuple("Row", "name value")

try:
    import tomllib as toml_reader          # stays eager: inside try
except ImportError:
    toml_reader = None


def rows():
    data = OrderedDict(alpha=1, beta=2, gamma=3)
    return [Row(k, v) for k, v in data.items()]


def render():
    total = fold(lambda a, r: a + r.value, rows(), 0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for r in rows():
        writer.writerow([r.name, r.value])
    return out.getvalue() + "total %d\n" % total + textwrap.indent(html.escape("<ok>"), "  ")


def as_email(address):
    msg = email.message.EmailMessage()
    msg["To"] = address
    msg["Subject"] = "report " + datetime.date(2026, 1, 1).isoformat()
    msg.set_content(render())
    doc = xml.dom.minidom.parseString("<r n='%d'/>" % len(rows()))
    return msg.as_string() + doc.documentElement.getAttribute("n")
