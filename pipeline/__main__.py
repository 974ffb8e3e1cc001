"""`python -m pipeline` is the same as the `pipeline` command."""
from .cli import run

run()
