"""Stories: the same post by another route, near-duplicate copies, and one event told by
several outlets, recognised as one story. Pure of I/O: the index is handed in.

- :mod:`~redraft.stories.urls`: one identity for a post's links, guids and REST ids;
- :mod:`~redraft.stories.signatures`: MinHash signatures (bytes) and their LSH bands;
- :mod:`~redraft.stories.profile` and :mod:`~redraft.stories.scoring`: terms, names,
  numbers, rarity and time, compared article to story;
- :mod:`~redraft.stories.placement`: the :class:`Placer` and the :class:`StoryIndex` protocol;
- :mod:`~redraft.stories.memory`: an in-memory index.
"""

from __future__ import annotations

from redraft.stories.memory import MemoryIndex
from redraft.stories.placement import Known, Layer, Placement, Placer, StoryIndex, StoryView
from redraft.stories.profile import DocumentFrequencies, Profile, profile_of
from redraft.stories.signatures import band_keys, signature, similarity
from redraft.stories.urls import canonical_url, post_identities

__all__ = [
    "DocumentFrequencies",
    "Known",
    "Layer",
    "MemoryIndex",
    "Placement",
    "Placer",
    "Profile",
    "StoryIndex",
    "StoryView",
    "band_keys",
    "canonical_url",
    "post_identities",
    "profile_of",
    "signature",
    "similarity",
]
