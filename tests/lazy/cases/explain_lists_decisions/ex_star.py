__all__ = ["STAR"]
STAR = 1
