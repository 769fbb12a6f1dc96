"""Job ads: ordinary vacancies at lawful pay, recruiters' near-duplicate clusters sharing a phone,
many languages (Bulgarian in Cyrillic), unique URLs, and the same rows from the same seed."""

from __future__ import annotations

import duckdb
import pytest

from invert.errors import InvertError
from invert.simulate import ads, lookups, population, register, rng, schemes, work
from invert.simulate.config import Settings

SMALL = Settings(size="S", scale=0.2)
MINIMUM_WAGE = 13.68  # from 1 July 2024, per hour, 21 and over
HOURS_PER_MONTH = 38 * 52 / 12
HOURLY = """CASE pay_period WHEN 'hour' THEN pay_amount WHEN 'week' THEN pay_amount / 38
                 ELSE pay_amount / (38 * 52 / 12) END"""


def build(s: Settings, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """The parts of a world the ads draw on: people, firms, networks; then the ads."""
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    rng.install(con, s.seed)
    rng.permutation_macro(con, s.seed)
    lookups.install(con)
    population.dwellings(con, s)
    population.people(con, s)
    register.companies(con, s)
    register.officers(con, s)
    work.create_tables(con)
    schemes.plant(con, s)
    ads.ads(con, s)
    return con


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return build(SMALL)


@pytest.fixture(scope="module")
def organised() -> duckdb.DuckDBPyConnection:
    return build(Settings(size="S", scale=0.2, profile="organised", seed=3))


def test_as_many_ads_as_the_size_asks(con):
    assert con.execute("SELECT count(*) FROM ad").fetchone()[0] == SMALL.count("ads")


@pytest.mark.parametrize("world", ["con", "organised"])
def test_every_recruiting_network_posts_a_cluster_on_its_recruiters_phone(world, request):
    db = request.getfixturevalue(world)
    rows = db.execute("""
        SELECT w.network, count(a.id) AS n, count(DISTINCT a.phone) AS spellings,
               count(*) FILTER (WHERE a.network IS DISTINCT FROM w.network) AS foreign_ads
        FROM network w JOIN person p ON p.id = w.recruiter
        LEFT JOIN ad a ON a.phone_e164 = p.phone
        WHERE list_contains(w.schemes, 'recruitment_ads')
        GROUP BY w.network""").fetchall()
    assert rows, "no network recruits through ads"
    for network, n, spellings, foreign in rows:
        assert n >= 5, network
        assert spellings >= 2, f"{network}: the phone is always written the same way"
        assert foreign == 0, network
    planted = db.execute("SELECT count(DISTINCT network) FROM ad").fetchone()[0]
    assert planted == len(rows)


def test_scheme_ads_look_the_part(con):
    row = con.execute(f"""
        SELECT min({HOURLY}), count(*), count(employer_name), count(handle),
               count(*) FILTER (WHERE phone <> phone_e164)
        FROM ad WHERE network IS NOT NULL""").fetchone()
    lowest, n, named, handles, rewritten = row
    assert lowest >= 15  # "net" pay far above the market
    assert named < n and handles > 0 and rewritten > 0


def test_many_languages_and_bulgarian_in_cyrillic(con):
    languages = {r[0] for r in con.execute("SELECT DISTINCT language FROM ad").fetchall()}
    assert len(languages) >= 6 and {"nl", "en", "bg"} <= languages
    bg = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE regexp_matches(title || body, '[А-Яа-я]'))
        FROM ad WHERE language = 'bg'""").fetchone()
    assert bg[0] > 0 and bg[0] == bg[1]


def test_ordinary_ads_pay_at_least_the_minimum_wage(con):
    lowest = con.execute(f"SELECT min({HOURLY}) FROM ad WHERE network IS NULL").fetchone()[0]
    assert lowest >= MINIMUM_WAGE
    # ... name their employer mostly and sometimes offer lawful housing (a look-alike).
    named, housing = con.execute("""
        SELECT avg((employer_name IS NOT NULL)::INT),
               count(*) FILTER (WHERE body ILIKE '%SNF%')
        FROM ad WHERE network IS NULL""").fetchone()
    assert named > 0.85 and housing > 0


def test_urls_unique_and_text_complete(con):
    n, urls, ids, leftovers, phone_shown = con.execute("""
        SELECT count(*), count(DISTINCT url), count(DISTINCT id),
               count(*) FILTER (WHERE regexp_matches(title || body, '\\{[A-Za-z]+\\}')),
               count(*) FILTER (WHERE contains(body, phone))
        FROM ad""").fetchone()
    assert n == urls == ids == phone_shown
    assert leftovers == 0
    assert (
        con.execute("""SELECT count(*) FROM ad WHERE posted_at < '2024-01-01'
                          OR posted_at >= '2025-01-01' OR title = '' OR body = ''
                          OR body LIKE '%' || chr(10) || chr(10) || chr(10) || '%'""").fetchone()[0]
        == 0
    )


def test_same_seed_same_ads_whatever_the_threads(con):
    again = build(SMALL, threads=1)
    query = "SELECT * FROM ad ORDER BY id"
    assert again.execute(query).fetchall() == con.execute(query).fetchall()


def test_templates_are_checked():
    bad = {"id": "xx-o1", "title": "{Job} in {town}", "body": "{extra}\nPay {pay}"}
    problems = ads._template_problems("xx", bad)
    assert any("unknown slots ['town']" in p for p in problems)
    assert any("first line" in p for p in problems)
    assert any("{contact} or {phone}" in p for p in problems)
    ads._load()  # the shipped files pass


def test_bad_data_is_reported(monkeypatch):
    monkeypatch.setattr(ads, "languages", lambda: ["en"])
    original = ads.data

    def broken(name):  # type: ignore[no-untyped-def]
        d = dict(original(name))
        d.pop("platforms")
        return d

    monkeypatch.setattr(ads, "data", broken)
    with pytest.raises(InvertError):
        ads._load()


@pytest.mark.parametrize("world", ["con", "organised"])
def test_about_half_the_recruited_workers_give_the_recruiters_phone(world, request):
    db = request.getfixturevalue(world)
    shares = db.execute("""
        SELECT w.network, avg((v.phone = r.phone)::INT)
        FROM network w JOIN person r ON r.id = w.recruiter
        JOIN network_role nr ON nr.network = w.network AND nr.role = 'victim'
        JOIN person v ON v.id = nr.person_id
        WHERE list_contains(w.schemes, 'recruitment_ads') GROUP BY w.network""").fetchall()
    assert shares
    overall = sum(s for _, s in shares) / len(shares)
    assert 0.25 <= overall <= 0.75, shares
    # ...and nobody outside the networks has a recruiter's number.
    assert not db.execute("""
        SELECT count(*) FROM person p JOIN network w ON p.phone = (
            SELECT phone FROM person WHERE id = w.recruiter)
        WHERE p.id <> w.recruiter AND p.id NOT IN (
            SELECT person_id FROM network_role WHERE network = w.network)""").fetchone()[0]
