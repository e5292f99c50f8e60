"""``python -m aimsgraph.api.cli``."""

from aimsgraph.api.cli import main

main()
