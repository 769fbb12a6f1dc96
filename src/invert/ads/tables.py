"""The ads stage's tables as the indicators read them, and the macro the text cues share.

The stage itself (``invert ads run``, or ``invert analyze`` when ads changed) writes the tables;
these column lists are the contract the ad indicators rely on, and give empty stand-ins when
a workspace has no ads.
"""

from __future__ import annotations

import duckdb

from invert.ads.extract import TABLES as EXTRACT_TABLES

# Written by the extraction with these columns; the clustering's tables hold at least these.
AD_TABLES = {
    **EXTRACT_TABLES,
    "ad_cluster": "ad VARCHAR, cluster VARCHAR, size INT, similarity DOUBLE",
    "ad_poster": "ad VARCHAR, poster VARCHAR",
    "ad_template": "cluster VARCHAR, template VARCHAR, members INT",
}


def install_ad_macros(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The macros the ad indicators share.

    * ``ad_cue_hits(cues, kinds)``: the ads of the given kinds ('job', 'sex') whose text says
      one of the cues, one row per ad with the phrases found: the shape every text-cue
      indicator returns. More distinct cues make a stronger hit.
    * ``ad_signs(counted, not_counted, kind)`` (network stage): per ad of the kind, the
      indicators of this run whose id matches ``counted`` and not ``not_counted``: how many
      (``n``) and which (``signs``), for the count indicators.
    * ``poster_peers(min_peers, min_share)`` (link stage): ads whose poster has ``min_peers``
      or more other ads with many deceptive signs (a hit of either count in this run), making
      up at least ``min_share`` of the poster's ads; with those peers.
    * ``deceptive_ads(min_peers, min_share)``: the counted ads and those of ``poster_peers``.
    * ``ad_reach(min_peers, min_share)``: what those ads tie to in the entity graph:
      companies, people and accounts, directly (an employer named, a name an e-mail spells) or
      through a phone, e-mail or handle they share; ``via`` is that identifier's node.

    Returns their definitions, so another engine can expand them from the same text.
    """
    macros: list[str] = []
    macros.append("""
        CREATE OR REPLACE TEMP MACRO ad_cue_hits(cues, kinds) AS TABLE
            SELECT c.ad AS subject_id,
                   0.6 + 0.2 * (count(DISTINCT c.cue) - 1) AS strength,
                   'says ' || string_agg(DISTINCT '"' || c.phrase || '"', ', '
                                         ORDER BY '"' || c.phrase || '"') AS value,
                   [{'tbl': 'ad', 'id': c.ad}] AS evidence
            FROM ad_cue c JOIN ad a ON a.id = c.ad
            WHERE list_contains(cues, c.cue)
              AND list_contains(kinds, coalesce(lower(a.kind), 'job'))
            GROUP BY c.ad""")
    macros.append("""
        CREATE OR REPLACE TEMP MACRO ad_signs(counted, not_counted, kind) AS TABLE
            SELECT h.subject_id, count(DISTINCT h.indicator) AS n,
                   string_agg(DISTINCT h.indicator, ', ' ORDER BY h.indicator) AS signs
            FROM new_hit h JOIN ad a ON a.id = h.subject_id
            WHERE h.subject = 'ad' AND regexp_matches(h.indicator, counted)
              AND NOT regexp_matches(h.indicator, not_counted)
              AND coalesce(lower(a.kind), 'job') = kind
            GROUP BY h.subject_id""")
    macros.append("""
        CREATE OR REPLACE TEMP MACRO poster_peers(min_peers, min_share) AS TABLE
            WITH counted AS (
                SELECT DISTINCT subject_id AS ad FROM new_hit
                WHERE indicator IN ('ad_job_indicator_count', 'ad_sex_indicator_count')),
            posters AS (
                SELECT p.poster, count(*) AS ads, count(c.ad) AS flagged
                FROM ad_poster p LEFT JOIN counted c USING (ad) GROUP BY p.poster),
            peers AS (
                SELECT p.ad, p.poster, list(DISTINCT q.ad ORDER BY q.ad) AS peers
                FROM ad_poster p
                JOIN ad_poster q ON q.poster = p.poster AND q.ad <> p.ad
                JOIN counted c ON c.ad = q.ad
                GROUP BY p.ad, p.poster)
            SELECT e.ad, e.poster, e.peers, s.flagged, s.ads
            FROM peers e JOIN posters s USING (poster)
            WHERE array_length(e.peers) >= min_peers AND s.flagged >= min_share * s.ads""")
    macros.append("""
        CREATE OR REPLACE TEMP MACRO deceptive_ads(min_peers, min_share) AS TABLE
            SELECT DISTINCT subject_id AS ad FROM new_hit
            WHERE indicator IN ('ad_job_indicator_count', 'ad_sex_indicator_count')
            UNION SELECT ad FROM poster_peers(min_peers, min_share)""")
    macros.append("""
        CREATE OR REPLACE TEMP MACRO ad_reach(min_peers, min_share) AS TABLE
            WITH d AS (SELECT ad FROM deceptive_ads(min_peers, min_share))
            SELECT e.source AS ad, e.target AS subject, e.target_kind AS kind, e.type AS tie,
                   NULL::VARCHAR AS via
            FROM graph_edge e JOIN d ON d.ad = e.source
            WHERE e.target_kind IN ('company', 'person', 'account')
            UNION ALL
            SELECT e1.source, e2.source, e2.source_kind, e2.type, e1.target
            FROM graph_edge e1 JOIN d ON d.ad = e1.source
            JOIN graph_edge e2 ON e2.target = e1.target
            WHERE e1.target_kind IN ('phone', 'email', 'handle')
              AND e2.source_kind IN ('company', 'person', 'account')""")
    for sql in macros:
        con.execute(sql)
    return macros
