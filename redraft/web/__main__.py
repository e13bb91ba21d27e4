"""``python -m redraft.web``: serve the review app."""

from redraft.web.command import main

main()
