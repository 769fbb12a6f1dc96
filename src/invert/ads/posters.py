"""Contacts, the contact split of text clusters, and posters with their profiles.

**Contacts** come from ``ad_contact(ad, kind, value)`` (normalised by the extraction step, which
also undoes obfuscation); without that table, from the ad's own ``phone``, ``email`` and
``handle`` columns (a handle such as ``whatsapp:+31612345678`` counts as that phone). A contact
carried by more than ``hub_share`` of all ads and by more than ``hub_min_ads`` ads (a platform's
or a job board's own number) links nothing. Ads sharing a contact, directly or through a chain,
form one **contact group** (connected components, igraph).

**Poster** rule: a poster is a contact group, widened by the text clusters that are consistent
with it. A text cluster is consistent when its ads with contacts all fall into one contact group
(or none has a contact): its ads without contact then join that group's poster (or, with no
contact at all, the cluster is a poster of its own). A text cluster whose ads carry contacts of
two or more groups links nothing: it is a common template used by several posters. So a
recruiter's ads on two templates with one phone written five ways (one contact once normalised)
are one poster, while 3,000 vacancies on a job board's boilerplate from 500 firms stay 500
posters. An ad with neither contact nor consistent cluster has no poster.
"""

from __future__ import annotations

import duckdb
import igraph as ig
import numpy as np
import pyarrow as pa

from invert.workspace import has_table

DEFAULT_HUB_SHARE = 0.02  # ours: a contact in more than 2% of all ads is a platform's ...
DEFAULT_HUB_MIN_ADS = 100  # ... and in more than 100 ads (a small case has no such hub)
DEFAULT_SPLIT_MIN_ADS = 5  # ours: ads sharing a contact that make their own text cluster


def contacts(con: duckdb.DuckDBPyConnection, hub_share: float, hub_min_ads: int) -> int:
    """Temp tables ``ad_contact_key(ad, contact)`` (hubs left out) and
    ``ad_contact_group(ad, cgroup)``; returns the number of hub contacts left out."""
    if has_table(con, "ad_contact"):
        source = """SELECT ad, kind || ':' || value AS contact FROM ad_contact
                    WHERE value IS NOT NULL AND value <> ''"""
    else:
        source = """SELECT id AS ad, 'phone:' || phone AS contact FROM ad WHERE phone <> ''
            UNION ALL SELECT id, 'email:' || lower(email) FROM ad WHERE email <> ''
            UNION ALL SELECT id, CASE WHEN regexp_matches(handle, '^[a-z]+:\\+[0-9]{6,}$')
                                      THEN 'phone:' || regexp_extract(handle, ':(.*)$', 1)
                                      ELSE 'handle:' || lower(handle) END
            FROM ad WHERE handle <> ''"""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ad_contact_all AS
        SELECT DISTINCT c.ad, c.contact FROM ({source}) c JOIN ad_doc_of t USING (ad)""")
    ads = con.execute("SELECT count(*) FROM ad_doc_of").fetchone()[0]
    limit = max(hub_min_ads, hub_share * ads)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ad_contact_key AS
        SELECT * FROM ad_contact_all WHERE contact IN (
            SELECT contact FROM ad_contact_all GROUP BY contact HAVING count(*) <= {limit})""")
    hubs = con.execute(
        f"""SELECT count(*) FROM (SELECT contact FROM ad_contact_all GROUP BY contact
            HAVING count(*) > {limit})"""
    ).fetchone()[0]
    # Ads and contacts are the nodes of one graph: its components are the contact groups.
    edges = con.execute("""
        WITH ads AS (SELECT ad, (row_number() OVER (ORDER BY ad) - 1)::BIGINT AS no
                     FROM (SELECT DISTINCT ad FROM ad_contact_key)),
             keys AS (SELECT contact, (row_number() OVER (ORDER BY contact) - 1)::BIGINT AS no
                      FROM (SELECT DISTINCT contact FROM ad_contact_key))
        SELECT a.ad, a.no AS a, (SELECT count(*) FROM ads) + k.no AS b
        FROM ad_contact_key c JOIN ads a USING (ad) JOIN keys k USING (contact)""").to_arrow_table()
    a, b = edges["a"].to_numpy(), edges["b"].to_numpy()
    nodes = int(max(a.max(initial=-1), b.max(initial=-1)) + 1)
    graph = ig.Graph(n=nodes, edges=np.column_stack([a, b]), directed=False)
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    con.register(
        "ad_contact_group_arrow",
        pa.table(
            {"ad": edges["ad"], "cgroup": pa.array(membership[a] if len(a) else [], pa.int64())}
        ),
    )
    con.execute("""CREATE OR REPLACE TEMP TABLE ad_contact_group AS
        SELECT DISTINCT ad, cgroup FROM ad_contact_group_arrow""")
    con.unregister("ad_contact_group_arrow")
    return int(hubs)


def split_units(con: duckdb.DuckDBPyConnection, split_min_ads: int) -> pa.Table:
    """Every ad's text unit after the contact split: ``(ad, doc, unit)``.

    Reads ``ad_doc_group(doc, grp)`` and ``ad_similar_pair(a, b, similarity)``. In a group,
    each contact group of at least ``split_min_ads`` ads becomes its own unit;
    an ad without contact follows the unit of its most similar document in the group that has
    one (its own document first); the other ads stay in the group's remaining unit."""
    return con.execute(f"""
        WITH ads AS (
            SELECT t.ad, t.doc, g.grp, c.cgroup
            FROM ad_doc_of t JOIN ad_doc_group g USING (doc)
            LEFT JOIN ad_contact_group c USING (ad)),
        big AS (
            SELECT grp, cgroup FROM ads WHERE cgroup IS NOT NULL
            GROUP BY grp, cgroup HAVING count(*) >= {split_min_ads}),
        split AS (
            SELECT a.*, b.cgroup AS sub
            FROM ads a LEFT JOIN big b ON b.grp = a.grp AND b.cgroup = a.cgroup),
        doc_sub AS (
            SELECT doc, grp, sub, count(*) AS n FROM split WHERE sub IS NOT NULL GROUP BY ALL),
        lone AS (SELECT DISTINCT doc, grp FROM split WHERE cgroup IS NULL),
        near AS (
            SELECT l.doc, 1.0 AS similarity, l.doc AS other, l.grp FROM lone l
            UNION ALL SELECT l.doc, p.similarity, p.b, l.grp FROM lone l JOIN ad_similar_pair p
                ON p.a = l.doc
            UNION ALL SELECT l.doc, p.similarity, p.a, l.grp FROM lone l JOIN ad_similar_pair p
                ON p.b = l.doc),
        follow AS (
            SELECT n.doc, s.sub FROM near n JOIN doc_sub s ON s.doc = n.other AND s.grp = n.grp
            QUALIFY row_number() OVER (PARTITION BY n.doc
                                       ORDER BY n.similarity DESC, s.n DESC, s.sub) = 1)
        SELECT s.ad, s.doc,
               dense_rank() OVER (ORDER BY s.grp, coalesce(s.sub, f.sub, -1)) - 1 AS unit
        FROM split s LEFT JOIN follow f ON f.doc = s.doc AND s.cgroup IS NULL
        ORDER BY s.ad""").to_arrow_table()


def build(con: duckdb.DuckDBPyConnection) -> int:
    """``ad_poster(ad, poster)`` and ``ad_poster_profile`` from the contact groups and
    ``ad_cluster``; returns the number of posters of two ads or more."""
    con.execute("""CREATE OR REPLACE TABLE ad_poster AS
        WITH ads AS (
            SELECT t.ad, c.cgroup, k.cluster
            FROM ad_doc_of t LEFT JOIN ad_contact_group c USING (ad)
            LEFT JOIN ad_cluster k USING (ad)),
        consistent AS (
            SELECT cluster, min(cgroup) AS cgroup FROM ads WHERE cluster IS NOT NULL
            GROUP BY cluster HAVING count(DISTINCT cgroup) <= 1),
        keyed AS (
            SELECT a.ad, CASE WHEN a.cgroup IS NOT NULL THEN 'g' || a.cgroup
                              WHEN s.cgroup IS NOT NULL THEN 'g' || s.cgroup
                              WHEN s.cluster IS NOT NULL THEN 'c' || s.cluster END AS key
            FROM ads a LEFT JOIN consistent s USING (cluster))
        SELECT ad, 'po-' || left(md5(min(ad) OVER (PARTITION BY key)), 12) AS poster
        FROM keyed WHERE key IS NOT NULL ORDER BY ad""")
    con.execute("""CREATE OR REPLACE TABLE ad_poster_profile AS
        WITH ads AS (
            SELECT p.poster, t.* FROM ad_poster p JOIN ad_doc_of t USING (ad)),
        cities AS (
            SELECT poster, list({'city': location, 'ads': n, 'first_posted': first}
                                ORDER BY first NULLS LAST, location) AS cities
            FROM (SELECT poster, location, count(*)::INT AS n, min(posted) AS first
                  FROM ads WHERE location IS NOT NULL GROUP BY ALL)
            GROUP BY poster),
        languages AS (
            SELECT poster, list({'language': language, 'ads': n} ORDER BY n DESC, language)
                AS languages
            FROM (SELECT poster, language, count(*)::INT AS n FROM ads
                  WHERE language IS NOT NULL GROUP BY ALL)
            GROUP BY poster),
        held AS (
            SELECT p.poster, list(DISTINCT c.contact ORDER BY c.contact) AS contacts
            FROM ad_poster p JOIN ad_contact_all c USING (ad) GROUP BY p.poster),
        totals AS (
            SELECT a.poster, count(*)::INT AS ads, min(posted) AS first_posted,
                   max(posted) AS last_posted,
                   list(DISTINCT platform ORDER BY platform)
                       FILTER (WHERE platform IS NOT NULL) AS platforms,
                   list(DISTINCT kind ORDER BY kind) FILTER (WHERE kind IS NOT NULL) AS kinds,
                   count(DISTINCT k.cluster)::INT AS text_clusters
            FROM ads a LEFT JOIN ad_cluster k USING (ad) GROUP BY a.poster)
        SELECT t.poster, t.ads, t.first_posted, t.last_posted,
               coalesce(c.cities, []) AS cities, coalesce(l.languages, []) AS languages,
               coalesce(h.contacts, []) AS contacts, coalesce(t.platforms, []) AS platforms,
               coalesce(t.kinds, []) AS kinds, t.text_clusters,
               -- ads per 30 days over the poster's active span, counted as at least 30 days
               t.ads * 30.0 / greatest(30.0, coalesce(
                   date_diff('second', t.first_posted, t.last_posted) / 86400.0, 0))
                   AS ads_per_30_days
        FROM totals t LEFT JOIN cities c USING (poster) LEFT JOIN languages l USING (poster)
        LEFT JOIN held h USING (poster)
        ORDER BY t.ads DESC, t.poster""")
    return con.execute("SELECT count(*) FROM ad_poster_profile WHERE ads >= 2").fetchone()[0]
