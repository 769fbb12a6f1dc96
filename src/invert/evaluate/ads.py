"""Ads against the answer key: template clusters, posters, and recruiters' links to networks.

Ads are tied to the answer key by URL. Planted ads (a network's recruitment campaign) carry
their network and the template they were written from; ordinary vacancies carry only a
template, shared by unrelated employers, so they have no "true cluster" of their own. Pairwise
figures therefore count the pairs that involve at least one planted ad:

* precision: of the predicted pairs (same cluster) with a planted ad, the share whose two ads
  are planted and belong together;
* recall: of the true pairs of planted ads, the share predicted together.

Text clusters are measured against (network, template), posters against the network. A
network's campaign is linked when its ads reach, in the entity graph, a person, firm or account
of the community that holds most of the network's people and firms: directly (an employer
named, a name an e-mail spells) or through a phone, e-mail or handle they share with it. That
is the path an investigator follows from an ad to the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from invert.evaluate.network import Recovery
from invert.evaluate.resolution import Pairwise
from invert.workspace import has_table


@dataclass
class AdFigures:
    text_clusters: Pairwise
    posters: Pairwise
    campaigns: int  # planted networks with ads
    campaigns_linked: int  # ... whose ads reach the network's community in the graph


def _pairwise(con: duckdb.DuckDBPyConnection, predicted: str, truth_key: str) -> Pairwise:
    """Pair counts over ``ad_truth`` with the predicted group column and the true key column
    (NULL for ordinary ads); an ad without a predicted group stands alone."""
    records, true_pairs, predicted_pairs, both = con.execute(f"""
        WITH a AS (
            SELECT t.ad, coalesce({predicted}, 'alone:' || t.ad) AS grp, {truth_key} AS key
            FROM ad_truth t),
        grp AS (SELECT grp, count(*) AS n, count(key) AS planted FROM a GROUP BY grp),
        tru AS (SELECT key, count(*) AS n FROM a WHERE key IS NOT NULL GROUP BY key),
        hit AS (SELECT count(*) AS n FROM a WHERE key IS NOT NULL GROUP BY grp, key)
        SELECT (SELECT count(*) FROM a WHERE key IS NOT NULL),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM tru),
               (SELECT coalesce(sum(n * (n - 1) / 2 - (n - planted) * (n - planted - 1) / 2), 0)
                FROM grp),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM hit)""").fetchone()
    return Pairwise(
        records=int(records),
        true_pairs=int(true_pairs),
        predicted_pairs=int(predicted_pairs),
        correct_pairs=int(both),
    )


# The people, firms and accounts each campaign's ads reach in the entity graph: directly (an
# employer named, a name an e-mail spells) or through a phone, e-mail or handle they share.
REACHED = """
    CREATE OR REPLACE TEMP TABLE campaign_reach AS
    WITH ads AS (SELECT ad, network FROM ad_truth WHERE network IS NOT NULL),
    hop AS (
        SELECT a.network, e.target AS node, e.target_kind AS kind
        FROM ads a JOIN graph_edge e ON e.source = a.ad),
    reached AS (
        SELECT network, node FROM hop WHERE kind IN ('person', 'company', 'account')
        UNION
        SELECT h.network, e.source FROM hop h JOIN graph_edge e ON e.target = h.node
        WHERE h.kind IN ('phone', 'email', 'handle')
          AND e.source_kind IN ('person', 'company', 'account'))
    SELECT r.network, r.node, m.community
    FROM reached r JOIN graph_membership m USING (node)"""


def ad_figures(
    con: duckdb.DuckDBPyConnection, truth: Path, networks: list[Recovery]
) -> AdFigures | None:
    """The figures, or None when the region has no ads or the ads stage has not run."""
    labels = Path(truth) / "labels_ads.csv"
    if not labels.is_file() or not has_table(con, "ad_cluster") or not has_table(con, "ad_poster"):
        return None
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ad_truth AS
        SELECT a.id AS ad, nullif(t.network, '') AS network, t.template
        FROM read_csv('{labels}', all_varchar = true, quote = '"') t JOIN ad a ON a.url = t.url""")
    text = _pairwise(
        con,
        "(SELECT min(c.cluster) FROM ad_cluster c WHERE c.ad = t.ad)",
        "CASE WHEN t.network IS NOT NULL THEN t.network || '/' || t.template END",
    )
    posters = _pairwise(
        con, "(SELECT min(p.poster) FROM ad_poster p WHERE p.ad = t.ad)", "t.network"
    )
    linked = 0
    campaigns = con.execute(
        "SELECT DISTINCT network FROM ad_truth WHERE network IS NOT NULL ORDER BY 1"
    ).fetchall()
    home = {n.network: n.community for n in networks}
    if has_table(con, "graph_membership"):
        con.execute(REACHED)
        for (network,) in campaigns:
            linked += home.get(network) is not None and bool(
                con.execute(
                    "SELECT count(*) FROM campaign_reach WHERE network = ? AND community = ?",
                    [network, home[network]],
                ).fetchone()[0]
            )
    return AdFigures(text, posters, len(campaigns), linked)
