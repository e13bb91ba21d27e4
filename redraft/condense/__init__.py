"""Condensers: engines that turn an article into a draft of a given length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from redraft.records import Article, Budget, Draft, Problem


class Condenser(Protocol):
    """An engine that condenses an article to a budget.

    Attributes:
        name: the engine's label as stored with each draft (``"extractive"``, ``"llm:<model>"``).
    """

    name: str

    def condense(self, article: Article, budget: Budget) -> Draft:
        """Return a draft of ``article`` within ``budget``.

        Raises:
            EngineError: the engine could not produce a draft for this article.
        """
        ...


@runtime_checkable
class Reviser(Protocol):
    """A condenser that can try again, told which sentences of its draft were wrong."""

    name: str

    def condense(self, article: Article, budget: Budget) -> Draft:
        """As :meth:`Condenser.condense`."""
        ...

    def revise(self, draft: Draft, problems: Sequence[Problem]) -> Draft:
        """Return a corrected draft, given the problems the verifier found in ``draft``.

        Raises:
            EngineError: the engine could not produce a revised draft.
        """
        ...


__all__ = ["Condenser", "Reviser"]
