"""``python -m redraft``: the command-line tool."""

from redraft.cli import main

main()
