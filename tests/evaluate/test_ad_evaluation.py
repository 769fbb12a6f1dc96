"""Ad clusters, posters and campaign links measured against a hand-made answer key."""

from __future__ import annotations

import duckdb
import pytest

from invert.evaluate.ads import ad_figures
from invert.evaluate.network import Recovery

# url, network, template: two campaigns (N1 with two templates) and four ordinary vacancies
# that share one job-board template.
KEY = [
    ("u1", "N1", "pl-s1"),
    ("u2", "N1", "pl-s1"),
    ("u3", "N1", "pl-s2"),
    ("u4", "N2", "pl-s1"),
    ("u5", "N2", "pl-s1"),
    ("o1", "", "nl-o1"),
    ("o2", "", "nl-o1"),
    ("o3", "", "nl-o1"),
    ("o4", "", "nl-o1"),
]


@pytest.fixture
def region(tmp_path):
    truth = tmp_path / "truth"
    truth.mkdir()
    lines = ["url,ad_id,label,network,template,phone_e164"]
    lines += [f"{u},{u},{int(bool(n))},{n},{t}," for u, n, t in KEY]
    (truth / "labels_ads.csv").write_text("\n".join(lines) + "\n")
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE ad AS SELECT 'ad-' || u AS id, u AS url FROM (VALUES "
        + ", ".join(f"('{u}')" for u, _, _ in KEY)
        + ") v(u)"
    )
    db.execute("CREATE TABLE ad_cluster (ad VARCHAR, cluster VARCHAR, size INT, similarity DOUBLE)")
    db.execute("CREATE TABLE ad_poster (ad VARCHAR, poster VARCHAR)")
    db.execute("CREATE TABLE graph_membership (node VARCHAR, community BIGINT)")
    db.execute(
        "CREATE TABLE graph_edge (source VARCHAR, source_kind VARCHAR, target VARCHAR, "
        "target_kind VARCHAR, type VARCHAR)"
    )
    return db, truth


def _rows(con, table: str, rows: list[tuple]) -> None:
    for row in rows:
        con.execute(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in row)})", list(row))


def test_pairs_with_a_planted_ad_are_counted_and_boilerplate_pairs_are_not(region):
    con, truth = region
    # Text clusters: N1's first template, N2's template merged with it (wrong), N1's second
    # template alone, and the four ordinary ads together (their pairs are not counted).
    _rows(
        con,
        "ad_cluster",
        [
            ("ad-u1", "A", 5, 1.0),
            ("ad-u2", "A", 5, 1.0),
            ("ad-u4", "A", 5, 1.0),
            ("ad-u5", "A", 5, 1.0),
            ("ad-o1", "B", 4, 1.0),
            ("ad-o2", "B", 4, 1.0),
            ("ad-o3", "B", 4, 1.0),
            ("ad-o4", "B", 4, 1.0),
        ],
    )
    # Posters: N1 whole, N2 whole but with one ordinary ad (a wrong pair per N2 ad).
    _rows(
        con,
        "ad_poster",
        [
            ("ad-u1", "P"),
            ("ad-u2", "P"),
            ("ad-u3", "P"),
            ("ad-u4", "Q"),
            ("ad-u5", "Q"),
            ("ad-o1", "Q"),
        ],
    )
    # N1's ads share a phone with a worker of N1's community 7; N2's ad names a firm of
    # community 3, not N2's community 8; N2's other ad reaches nobody.
    _rows(con, "graph_membership", [("w1", 7), ("c2", 3), ("phone:+316", None)])
    _rows(
        con,
        "graph_edge",
        [
            ("ad-u1", "ad", "phone:+316", "phone", "has phone"),
            ("w1", "person", "phone:+316", "phone", "has phone"),
            ("ad-u4", "ad", "c2", "company", "names employer"),
        ],
    )
    networks = [
        Recovery("N1", 10, 10, 10, 1.0, 0.0, community=7),
        Recovery("N2", 10, 10, 10, 1.0, 0.0, community=8),
    ]
    figures = ad_figures(con, truth, networks)
    assert figures is not None
    text = figures.text_clusters
    # true pairs: N1/pl-s1 (u1,u2) and N2/pl-s1 (u4,u5); predicted pairs in A: 6, all planted
    assert (text.records, text.true_pairs, text.predicted_pairs, text.correct_pairs) == (5, 2, 6, 2)
    posters = figures.posters
    # true pairs: N1 3, N2 1; predicted: P 3, Q 3 (u4-u5, u4-o1, u5-o1)
    assert (posters.true_pairs, posters.predicted_pairs, posters.correct_pairs) == (4, 6, 4)
    assert posters.precision == pytest.approx(4 / 6) and posters.recall == 1.0
    assert (figures.campaigns, figures.campaigns_linked) == (2, 1)


def test_no_figures_before_the_ads_stage(region):
    con, truth = region
    con.execute("DROP TABLE ad_poster")
    assert ad_figures(con, truth, []) is None
