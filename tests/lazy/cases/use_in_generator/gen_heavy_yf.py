def items():
    yield "y1"
    yield "y2"
