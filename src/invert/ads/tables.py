"""The ads stage's tables as the indicators read them, and the macro the text cues share.

The stage itself (``invert ads run``, or ``invert analyze`` when ads changed) writes the tables;
these column lists are the contract the ad indicators rely on, and give empty stand-ins when
a workspace has no ads.
"""

from __future__ import annotations

import duckdb

AD_TABLES = {
    "ad_text": "ad VARCHAR, language VARCHAR, language_given VARCHAR, pay_amount DOUBLE, "
    "pay_currency VARCHAR, pay_period VARCHAR, pay_net BOOLEAN, pay_hourly_eur DOUBLE, "
    "pay_monthly_eur DOUBLE, occupation VARCHAR, dest_country VARCHAR, dest_city VARCHAR, "
    "employer_name VARCHAR, has_registration BOOLEAN, has_street_address BOOLEAN, "
    "has_company_domain BOOLEAN",
    "ad_cue": "ad VARCHAR, cue VARCHAR, phrase VARCHAR",
    "ad_contact": "ad VARCHAR, kind VARCHAR, value VARCHAR, raw VARCHAR, obfuscated BOOLEAN, "
    "app VARCHAR, line_type VARCHAR",
    "ad_cluster": "ad VARCHAR, cluster VARCHAR, size INT, similarity DOUBLE",
    "ad_poster": "ad VARCHAR, poster VARCHAR",
    "ad_template": "cluster VARCHAR, template VARCHAR, members INT",
}


def install_ad_macros(con: duckdb.DuckDBPyConnection) -> None:
    """``ad_cue_hits(cues, kinds)``: the ads of the given kinds ('job', 'sex') whose text says
    one of the cues, one row per ad with the phrases found: the shape every text-cue
    indicator of the catalogue returns. More distinct cues make a stronger hit."""
    con.execute("""
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
