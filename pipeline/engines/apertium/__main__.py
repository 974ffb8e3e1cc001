"""The in-pipe program: ``python -m pipeline.engines.apertium [-z] STEP[,STEP...] [--words F.tsv] [--freedict STEM]``.

The engine splices it into apertium's pipe (see :mod:`.steps`); everything it needs comes on
its command line, so it reads no settings or environment of its own.
"""
import sys

from .steps import main

sys.exit(main(sys.argv[1:], sys.stdin.buffer, sys.stdout.buffer))
