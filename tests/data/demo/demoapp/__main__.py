import sys

from demoapp.cli import main

sys.exit(main(sys.argv[1:]))
