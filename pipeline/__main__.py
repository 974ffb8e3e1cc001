"""`python -m pipeline` is the same as the `pipeline` command."""
import sys

from .cli import main

sys.exit(main())
