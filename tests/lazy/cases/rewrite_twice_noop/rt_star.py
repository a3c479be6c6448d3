__all__ = ["STAR"]
STAR = "star"
