"""Money: flows between resolved accounts, patterns in them, and what a network earned.

``accounts`` prepares the payments (one row per real payment, de-duplicated across sources),
each account's home country and holder; ``flows`` aggregates and traces money; ``patterns``
finds fan-in, pass-through, chains, cycles and corridor flows; ``profit`` estimates each
network's takings with their computation and evidence; ``sankey`` groups flows for a flow view.
"""

from __future__ import annotations

from invert.errors import InvertError


class MoneyError(InvertError):
    """A money request the workspace cannot answer (unknown account, missing stage, bad value)."""
