try:
    {}["key"]
except KeyError as exc:
    raise RuntimeError("boom: with cause") from exc
