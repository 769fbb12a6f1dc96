"""The ads stage: read every ad, then group them by template and by poster.

Runs after ingestion (and resolution) and before the network and the analysis, because both
use what it finds: the network ties ads to people and firms through the contacts found in
their text, and the ad indicators read its tables. Re-runnable: each step replaces its tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from invert.workspace import Workspace


@dataclass
class AdsResult:
    ads: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def run(
    ws: Workspace,
    lexicons: list[Path] | None = None,
    progress: Callable[[str], None] = lambda _s: None,
) -> AdsResult:
    """Extraction (language, contacts, pay, cues), clusters and posters, and the names
    personal e-mail addresses spell; recorded in ``runs``. ``lexicons`` are the user's folders
    of extra lexicon files."""
    from invert.ads.cluster import cluster
    from invert.ads.extract import extract
    from invert.ads.links import contact_names

    result = AdsResult()
    started = time.time()
    with ws.connect() as con:
        result.ads = con.execute("SELECT count(*) FROM ad").fetchone()[0]
        progress("reading the ads")
        extracted = extract(con, lexicons)
        result.seconds["extract"] = time.time() - started
        progress("clusters and posters")
        clustered_at = time.time()
        clustered = cluster(con)
        result.seconds["cluster"] = time.time() - clustered_at
        result.counts = {
            "with pay": extracted.with_pay,
            "with occupation": extracted.with_occupation,
            "with a phone": extracted.ads_with_phone,
            "obfuscated phones": extracted.obfuscated_phones,
            **{f"{kind} contacts": n for kind, n in extracted.contacts.items()},
            **{f"cue {cue}": n for cue, n in sorted(extracted.cues.items())},
            "exact duplicates": clustered.exact_duplicates,
            "text clusters": clustered.text_clusters,
            "ads in text clusters": clustered.clustered_ads,
            "posters": clustered.posters,
            "e-mails spelling a name": contact_names(con),
        }
        result.languages = dict(extracted.languages)
        ws.record_run(
            con,
            "ads",
            started,
            {"lexicons": [str(p) for p in lexicons or []]},
            {"ads": result.ads, "languages": result.languages, **result.counts},
        )
    return result
