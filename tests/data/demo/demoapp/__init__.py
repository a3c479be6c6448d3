"""demoapp: lazyc's built-in demo input, a small CLI in the shape of real
ones - it imports a dozen stdlib modules at the top of each file, and any
one command uses only a few of them."""
__version__ = "1.0"
