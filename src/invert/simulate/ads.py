"""Online job ads: ordinary vacancies of the region's firms and the recruiters' planted clusters.

Ordinary ads come from active firms, in proportion to their size (agencies post more and also
recruit abroad in the workers' languages). They state lawful pay, name the employer and give
the firm's own phone and e-mail. Some carry single indicators every job board is full of
("urgent", "no experience needed", lawful seasonal housing), so no one of them is a signal.

A network running ``recruitment_ads`` has its recruiter post a cluster of near-duplicate ads in
the victims' languages: one or two templates with varying slots, the recruiter's own phone
written in changing (often obfuscated) ways, a messaging handle, no or a vague employer, pay far
above the market, housing and travel "arranged" and paid back from wages (indicators of section
5a of docs/reference/indicators.md).

Templates and phrases are data (``data/ads/<lang>.yml``); all drawing and slot filling is SQL
keyed by ad and purpose, so the same seed gives the same ads.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from invert.errors import InvertError
from invert.simulate.config import DATA, Settings, data
from invert.simulate.lookups import _cumulative, _register
from invert.simulate.rng import PRIME_10

# Occupation group of a firm by NACE prefix (first match wins); agencies recruit for several.
GROUPS = [
    ("A01", "agri"),
    ("C10", "food"),
    ("F4", "construction"),
    ("G45", "carwash"),
    ("G46", "warehouse"),
    ("G47", "retail"),
    ("H49", "driver"),
    ("H52", "warehouse"),
    ("I5", "hospitality"),
    ("N78", "agency"),
    ("N81", "cleaning"),
    ("S96", "beauty"),
    ("Q8", "care"),
]
AGENCY_GROUPS = [
    "agri",
    "agri",
    "agri",
    "food",
    "warehouse",
    "warehouse",
    "driver",
    "construction",
    "cleaning",
    "hospitality",
]
JOB_GROUPS = sorted({g for _, g in GROUPS if g != "agency"} | {"office"})
# Agencies sometimes recruit for clients just across the border.
ABROAD = {"BE": ["Antwerpen", "Gent", "Roeselare"], "DE": ["Kleve", "Emmerich am Rhein", "Goch"]}
# National trunk prefix before the subscriber number, by country calling code.
TRUNK = {
    "31": "0",
    "40": "0",
    "359": "0",
    "36": "06 ",
    "380": "0",
    "370": "8",
    "48": "",
    "351": "",
    "39": "",
}
PHRASES_ORDINARY = [
    "requirements",
    "housing_legal",
    "transport_legal",
    "hours",
    "start",
    "flags",
    "client",
]
PHRASES_SCHEME = [
    "employer_vague",
    "housing_scheme",
    "transport_scheme",
    "travel",
    "docs",
    "no_requirements",
    "urgency",
    "start_scheme",
    "personal",
    "tg_words",
    "freemail",
]
FORMAT_KEYS = ["decimal", "thousands", "money", "date", "pay", "pay_net", "email", "tel", "web"]
COLUMNS = """id, platform, url, posted_at, language, kind, title, body, location, country,
    pay_amount, pay_period, currency, employer_name, phone, phone_e164, email, handle,
    company_id, network, template"""


def languages() -> list[str]:
    return sorted(p.stem for p in (DATA / "ads").glob("*.yml"))


def _load() -> dict[str, dict]:
    files = {lang: data(f"ads/{lang}") for lang in languages()}
    problems = []
    for lang, d in files.items():
        need = [
            "weights",
            "format",
            "countries",
            "digits",
            "platforms",
            "jobs",
            "phrases",
            "ordinary",
        ]
        problems += [f"ads/{lang}.yml: missing '{k}'" for k in need if k not in d]
        if problems:
            continue
        problems += [
            f"ads/{lang}.yml: format needs '{k}'" for k in FORMAT_KEYS if k not in d["format"]
        ]
        problems += [
            f"ads/{lang}.yml: jobs need group '{g}'" for g in JOB_GROUPS if not d["jobs"].get(g)
        ]
        phrases = PHRASES_ORDINARY + (PHRASES_SCHEME if d.get("audience") else [])
        problems += [
            f"ads/{lang}.yml: phrases need '{k}'" for k in phrases if not d["phrases"].get(k)
        ]
        if d.get("audience") and not d.get("scheme"):
            problems.append(f"ads/{lang}.yml: an audience needs scheme templates")
        if len(d["digits"]) != 10:
            problems.append(f"ads/{lang}.yml: digits must list the words for 0-9")
    if problems:
        raise InvertError("invalid ad data", problems)
    return files


def install(con: duckdb.DuckDBPyConnection) -> None:
    """The ad data files as lookup tables (ad_lang, ad_lang_cum, ad_platform, ad_template,
    ad_job, ad_audience)."""
    files = _load()
    langs = list(files)

    def col(key: str, f) -> list:  # type: ignore[no-untyped-def]
        return [f(files[lang]) for lang in langs]

    lang_cols: dict[str, list] = {
        "lang": langs,
        "n_ordinary": col("", lambda d: len(d["ordinary"])),
        "n_scheme": col("", lambda d: len(d.get("scheme") or [])),
        "digit_words": col("", lambda d: [str(x) for x in d["digits"]]),
        **{f"c_{c}": col("", lambda d, c=c: d["countries"][c]) for c in ("NL", "BE", "DE")},
        **{f"f_{k}": col("", lambda d, k=k: str(d["format"][k])) for k in FORMAT_KEYS},
        **{
            f"per_{p}": col("", lambda d, p=p: d["format"]["period"][p])
            for p in ("hour", "week", "month")
        },
        **{
            k: col("", lambda d, k=k: [str(x) for x in d["phrases"].get(k) or []])
            for k in PHRASES_ORDINARY + PHRASES_SCHEME
        },
    }
    _register(con, "ad_lang", pa.table(lang_cols))
    # Languages of ordinary ads: employers' own (nl/en) and agencies' (also abroad).
    rows: dict[str, list] = {"kind": [], "lang": [], "lo": [], "hi": []}
    for kind in ("employer", "agency"):
        ws = [(lang, float(files[lang]["weights"].get(kind, 0))) for lang in langs]
        ws = [(lang, w) for lang, w in ws if w > 0]
        lo, hi = _cumulative([w for _, w in ws])
        rows["kind"] += [kind] * len(ws)
        rows["lang"] += [lang for lang, _ in ws]
        rows["lo"] += lo
        rows["hi"] += hi
    _register(con, "ad_lang_cum", pa.table(rows))
    # Platforms, with separate weights for ordinary and for recruiters' ads.
    rows = {"lang": [], "kind": [], "platform": [], "url": [], "lo": [], "hi": []}
    for lang in langs:
        for kind, key in (("ordinary", "legit"), ("scheme", "scheme")):
            ps = [p for p in files[lang]["platforms"] if p.get(key, 0) > 0]
            if not ps:
                continue
            lo, hi = _cumulative([float(p[key]) for p in ps])
            rows["lang"] += [lang] * len(ps)
            rows["kind"] += [kind] * len(ps)
            rows["platform"] += [p["name"] for p in ps]
            rows["url"] += [p["url"] for p in ps]
            rows["lo"] += lo
            rows["hi"] += hi
    _register(con, "ad_platform", pa.table(rows))
    rows = {"lang": [], "kind": [], "k": [], "id": [], "title": [], "body": []}
    for lang in langs:
        for kind in ("ordinary", "scheme"):
            for k, t in enumerate(files[lang].get(kind) or [], start=1):
                rows["lang"].append(lang)
                rows["kind"].append(kind)
                rows["k"].append(k)
                rows["id"].append(t["id"])
                rows["title"].append(t["title"].strip())
                rows["body"].append(t["body"].strip())
    _register(con, "ad_template", pa.table(rows))
    rows = {"lang": [], "grp": [], "titles": []}
    for lang in langs:
        for grp, titles in files[lang]["jobs"].items():
            rows["lang"].append(lang)
            rows["grp"].append(grp)
            rows["titles"].append([str(t) for t in titles])
    _register(con, "ad_job", pa.table(rows))
    # Which languages a recruiter writes in for victims of each nationality.
    audience: dict[str, list[tuple[str, float]]] = {}
    for lang in langs:
        for nat, w in (files[lang].get("audience") or {}).items():
            audience.setdefault(nat, []).append((lang, float(w)))
    rows = {"nat": [], "lang": [], "lo": [], "hi": []}
    for nat in sorted(audience):
        lo, hi = _cumulative([w for _, w in audience[nat]])
        rows["nat"] += [nat] * len(audience[nat])
        rows["lang"] += [lang for lang, _ in audience[nat]]
        rows["lo"] += lo
        rows["hi"] += hi
    _register(con, "ad_audience", pa.table(rows))


def _group_sql(nace: str) -> str:
    cases = " ".join(f"WHEN {nace} LIKE '{p}%' THEN '{g}'" for p, g in GROUPS)
    return f"CASE {cases} ELSE 'office' END"


def _list(xs: list[str]) -> str:
    return "[" + ", ".join("'" + x.replace("'", "''") + "'" for x in xs) + "]"


def _phone_sql() -> str:
    """SQL macros writing an E.164 number the way ads do (``fmt`` 0-6 plain, 7-10 obfuscated)."""
    codes = sorted(
        {str(v["phone"]["code"]) for v in data("people").values()}, key=len, reverse=True
    )
    cc = " ".join(f"WHEN starts_with(e, '+{c}') THEN '{c}'" for c in codes)
    trunk = " ".join(f"WHEN '{c}' THEN '{t}'" for c, t in TRUNK.items())
    return f"""
        CREATE OR REPLACE MACRO ad_cc(e) AS CASE {cc} ELSE substr(e, 2, 2) END;
        CREATE OR REPLACE MACRO ad_trunk(cc) AS CASE cc {trunk} ELSE '' END;
        CREATE OR REPLACE MACRO ad_grp(x, sep) AS
            regexp_replace(x, '^(.{{3}})(.{{3}})(.+)$', '\\1' || sep || '\\2' || sep || '\\3');
        CREATE OR REPLACE MACRO ad_phone_parts(e, cc, nsn, tr, nl06, j, fmt, words) AS CASE fmt
            WHEN 0 THEN e
            WHEN 1 THEN '+' || cc || ' ' || ad_grp(nsn, ' ')
            WHEN 2 THEN '00' || cc || ' ' || ad_grp(nsn, ' ')
            WHEN 3 THEN CASE WHEN nl06 THEN '06 ' || substr(nsn, 2, 4) || ' ' || substr(nsn, 6)
                             ELSE tr || ad_grp(nsn, ' ') END
            WHEN 4 THEN replace(tr, ' ', '') || nsn
            WHEN 5 THEN CASE WHEN nl06 THEN '06-' || substr(nsn, 2) ELSE tr || ad_grp(nsn, '-') END
            WHEN 6 THEN '+' || cc || '.' || ad_grp(nsn, '.')
            -- one digit spelled out: +40 7two1 234 567
            WHEN 7 THEN '+' || cc || ' ' || replace(ad_grp(substr(nsn, 1, j - 1) || '#'
                        || substr(nsn, j + 1), ' '), '#', words[CAST(substr(nsn, j, 1) AS INT) + 1])
            -- letter O for zero
            WHEN 8 THEN replace(CASE WHEN nl06 THEN '06 ' || substr(nsn, 2)
                                     ELSE tr || ad_grp(nsn, ' ') END, '0', 'O')
            -- every digit apart
            WHEN 9 THEN array_to_string(string_split(replace(tr, ' ', '') || nsn, ''), ' ')
            -- the trunk zero as a word, or digit pairs
            ELSE CASE WHEN tr = '0' THEN words[1] || ' ' || ad_grp(nsn, ' ')
                      ELSE '+' || cc || ' ' || trim(regexp_replace(nsn, '(..)', '\\1 ', 'g')) END
            END;
        CREATE OR REPLACE MACRO ad_phone_text(e, fmt, words, k) AS ad_phone_parts(
            e, ad_cc(e), substr(e, 2 + length(ad_cc(e))), ad_trunk(ad_cc(e)),
            ad_cc(e) = '31' AND substr(e, 4, 1) = '6',
            randint(k, 'obf-pos', 2, length(e) - 1 - length(ad_cc(e))), fmt, words);
        -- Money as the language writes it: 14,35 / 2.450
        CREATE OR REPLACE MACRO ad_money(a, whole, dec, th) AS CASE
            WHEN whole AND a >= 1000 THEN CAST(floor(a / 1000) AS BIGINT)::VARCHAR || th
                 || lpad((CAST(round(a) AS BIGINT) % 1000)::VARCHAR, 3, '0')
            WHEN whole THEN CAST(round(a) AS BIGINT)::VARCHAR
            ELSE replace(printf('%.2f', a), '.', dec) END;
    """


def _networks(con: duckdb.DuckDBPyConnection, total: int) -> None:
    """Per recruiting network: recruiter contact, firms, ad count, languages and templates."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ad_net0 AS
        WITH nw AS (
            SELECT w.network, p.phone, p.email AS pemail,
                   (SELECT count(*) FROM network_role r
                    WHERE r.network = w.network AND r.role = 'victim') AS victims
            FROM network w JOIN person p ON p.id = w.recruiter
            WHERE list_contains(w.schemes, 'recruitment_ads') AND p.phone IS NOT NULL),
        firms AS (
            SELECT network, list(id ORDER BY id) AS firms, list(name ORDER BY id) AS names,
                   arg_min(nace, id) AS nace
            FROM company WHERE network IS NOT NULL GROUP BY network)
        SELECT nw.*, f.firms, f.names, coalesce(f.nace, 'N78.20') AS nace,
               least(40, greatest(8, round((4 + 2 * victims)
                                           * (0.7 + 0.6 * u(nw.network, 'ad-count')))))::INT AS n0
        FROM nw LEFT JOIN firms f USING (network)
    """)
    wanted = con.execute("SELECT coalesce(sum(n0), 0) FROM ad_net0").fetchone()[0]
    factor = min(1.0, 0.3 * total / wanted) if wanted else 1.0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ad_net AS
        SELECT *, greatest(5, round(n0 * {factor}))::INT AS n FROM ad_net0""")
    # Languages: one per victims' nationality (the recruiter's counts too), weighted by victims.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ad_netlang AS
        WITH v AS (
            SELECT r.network, p.nat, count(*) AS c
            FROM network_role r JOIN person p ON p.id = r.person_id
            WHERE r.role IN ('victim', 'recruiter') AND r.network IN (SELECT network FROM ad_net)
            GROUP BY ALL),
        l AS (
            SELECT v.network, coalesce(a.lang, 'en') AS lang, sum(v.c) AS c
            FROM v LEFT JOIN ad_audience a ON a.nat = v.nat
                 AND u(v.network || v.nat, 'ad-lang') >= a.lo
                 AND u(v.network || v.nat, 'ad-lang') < a.hi
            GROUP BY ALL),
        cum AS (
            SELECT network, lang, sum(c) OVER w / sum(c) OVER (PARTITION BY network) AS hi,
                   (sum(c) OVER w - c) / sum(c) OVER (PARTITION BY network) AS lo
            FROM l WINDOW w AS (PARTITION BY network ORDER BY lang))
        SELECT cum.*, 1 + floor(u(network || lang, 'tpl1') * al.n_scheme)::INT AS t1,
               CASE WHEN al.n_scheme > 1 AND u(network || lang, 'two-tpl') < 0.5
                    THEN 1 + ((floor(u(network || lang, 'tpl1') * al.n_scheme)::INT + 1
                               + floor(u(network || lang, 'tpl2') * (al.n_scheme - 1))::INT)
                              % al.n_scheme)
                    ELSE 1 + floor(u(network || lang, 'tpl1') * al.n_scheme)::INT END AS t2
        FROM cum JOIN ad_lang al USING (lang)
    """)


def _ordinary(con: duckdb.DuckDBPyConnection, n: int) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ad_pool AS
        WITH c AS (
            SELECT c.id AS company_id, c.name, c.nace, c.phone, c.email, c.founded,
                   a.city AS own_city, c.nace = 'N78.20' AS agency, {_group_sql("c.nace")} AS grp,
                   s.pay AS pay_factor,
                   pow(c.headcount, 0.8) * CASE WHEN c.nace = 'N78.20' THEN 4 ELSE 1 END AS w
            FROM company c JOIN address a ON a.id = c.address_id
            JOIN sector s ON s.nace = c.nace
            WHERE c.network IS NULL AND c.dissolved IS NULL AND c.phone IS NOT NULL
              AND c.founded <= DATE '2024-12-01')
        SELECT *, sum(w) OVER (ORDER BY company_id) - w AS lo FROM c
    """)
    total_w = con.execute("SELECT coalesce(sum(w), 0) FROM ad_pool").fetchone()[0]
    if not total_w or n <= 0:
        n = 0
    minimum = con.execute("SELECT rate FROM minimum_wage WHERE age = 21").fetchone()[0]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ad_o AS
        WITH o AS (SELECT i, 'o' || i AS k, u('o' || i, 'company') * {total_w or 1} AS x
                   FROM range({n}) t(i)),
        c AS (SELECT o.*, p.* EXCLUDE (lo, w) FROM o ASOF JOIN ad_pool p ON o.x >= p.lo),
        d AS (
            SELECT c.*, lc.lang,
                   CASE WHEN agency THEN pick(k, 'agency-group', {_list(AGENCY_GROUPS)})
                        ELSE grp END AS job_grp,
                   CASE WHEN agency AND u(k, 'abroad') < 0.03
                        THEN CASE WHEN u(k, 'abroad-c') < 0.5 THEN 'BE' ELSE 'DE' END
                        ELSE 'NL' END AS country,
                   CASE WHEN u(k, 'period') < 0.65 THEN 'hour' WHEN u(k, 'period') < 0.95
                        THEN 'month' ELSE 'week' END AS pay_period,
                   greatest({minimum}, {minimum} * pay_factor * (0.97 + 0.28 * u(k, 'pay')))
                       AS rate,
                   greatest(DATE '2024-01-01', founded) AS first_day
            FROM c JOIN ad_lang_cum lc
                 ON lc.kind = CASE WHEN agency THEN 'agency' ELSE 'employer' END
                 AND u(k, 'lang') >= lc.lo AND u(k, 'lang') < lc.hi)
        SELECT d.i, d.k, 'ordinary' AS kind, d.lang, d.company_id,
               CAST(NULL AS VARCHAR) AS network, d.country, d.pay_period,
               CASE d.country WHEN 'BE' THEN pick(k, 'abroad-city', {_list(ABROAD["BE"])})
                    WHEN 'DE' THEN pick(k, 'abroad-city', {_list(ABROAD["DE"])})
                    WHEN agency AND u(k, 'client-city') < 0.6 THEN ci.city
                    ELSE own_city END AS location,
               CASE d.pay_period WHEN 'hour' THEN ceil(rate * 20) / 20
                    WHEN 'month' THEN ceil(rate * 38 * 52 / 12 / 10) * 10
                    ELSE ceil(rate * 38 / 5) * 5 END AS pay_amount,
               (first_day + CAST(floor(u(k, 'day') * (DATE '2024-12-31' - first_day + 1))
                                 AS INT))::TIMESTAMP
                   + to_seconds(randint(k, 'second', 6 * 3600, 23 * 3600)) AS posted_at,
               CASE WHEN u(k, 'anon') < CASE WHEN agency THEN 0.12 ELSE 0.04 END THEN NULL
                    ELSE name END AS employer_name,
               1 + floor(u(company_id || lang || CASE WHEN u(k, 'own-tpl') < 0.75 THEN 'a'
                                                      ELSE 'b' END, 'tpl')
                         * l.n_ordinary)::INT AS tk,
               phone AS phone_e164,
               CASE WHEN u(k, 'pf') < 0.8 THEN randint(company_id, 'pf', 0, 6)
                    ELSE randint(k, 'pf', 0, 6) END AS fmt,
               email,
               CASE WHEN u(k, 'wa') < CASE WHEN agency THEN 0.12
                                           WHEN job_grp IN ('hospitality', 'beauty', 'carwash')
                                           THEN 0.08 ELSE 0.01 END
                    THEN 'whatsapp' END AS app,
               CAST(NULL AS VARCHAR) AS tg,
               pick(k, 'job', j.titles) AS job,
               CASE WHEN email IS NOT NULL THEN replace(l.f_web, '{{site}}',
                    'www.' || split_part(email, '@', 2)) ELSE '' END AS s_web,
               pick(k, 'hours', l.hours) AS s_hours,
               pick(k, 'req', l.requirements) AS s_req,
               CASE WHEN u(k, 'housing') < CASE WHEN agency AND lang NOT IN ('nl', 'en') THEN 0.7
                                                WHEN agency THEN 0.3
                                                WHEN job_grp = 'agri' THEN 0.35
                                                WHEN job_grp IN ('food', 'hospitality') THEN 0.1
                                                ELSE 0.02 END
                    THEN pick(k, 'housing-p', l.housing_legal) ELSE '' END AS s_housing,
               CASE WHEN u(k, 'transport') < CASE WHEN agency AND lang NOT IN ('nl', 'en')
                                                  THEN 0.6 WHEN agency THEN 0.25
                                                  WHEN job_grp = 'agri' THEN 0.2 ELSE 0.05 END
                    THEN pick(k, 'transport-p', l.transport_legal) ELSE '' END AS s_transport,
               '' AS s_travel, '' AS s_docs, '' AS s_noreq, '' AS s_personal,
               CASE WHEN u(k, 'flag') < 0.25 THEN pick(k, 'flag-p', l.flags) ELSE '' END
                   AS s_extra,
               pick(k, 'start', l.start) AS s_start,
               CASE WHEN u(k, 'anon') < CASE WHEN agency THEN 0.12 ELSE 0.04 END
                    THEN pick(k, 'client', l.client) ELSE name END AS s_employer
        FROM d JOIN ad_lang l USING (lang)
        JOIN ad_job j ON j.lang = d.lang AND j.grp = d.job_grp
        JOIN city ci ON u(k, 'city') >= ci.lo AND u(k, 'city') < ci.hi
    """)


def _scheme(con: duckdb.DuckDBPyConnection, first: int) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ad_s AS
        WITH r AS (
            SELECT {first} + row_number() OVER (ORDER BY network, j) - 1 AS i,
                   network || ':' || j AS k, *
            FROM (SELECT *, unnest(range(n)) AS j FROM ad_net)),
        d AS (
            SELECT r.*, nl.lang, nl.t1, nl.t2,
                   CASE WHEN {_group_sql("r.nace")} = 'agency'
                        THEN pick(k, 'scheme-group', ['agri', 'agri', 'warehouse', 'food'])
                        ELSE {_group_sql("r.nace")} END AS job_grp,
                   CASE WHEN u(k, 'period') < 0.55 THEN 'month' WHEN u(k, 'period') < 0.95
                        THEN 'hour' ELSE 'week' END AS pay_period,
                   1 + floor(u(k, 'firm') * len(firms))::INT AS fi,
                   least(DATE '2024-12-31', DATE '2024-01-03'
                         + CAST(randint(network, 'ads-start', 0, 180) AS INT)
                         + CAST(randint(k, 'day', 0, 180) AS INT)) AS day,
                   pick(network, 'app', ['whatsapp', 'whatsapp', 'telegram', 'viber']) AS app0
            FROM r JOIN ad_netlang nl ON nl.network = r.network
                 AND u(k, 'lang') >= nl.lo AND u(k, 'lang') < nl.hi)
        SELECT d.i, d.k, 'scheme' AS kind, d.lang, firms[fi] AS company_id, d.network,
               'NL' AS country, d.pay_period, ci.city AS location,
               CASE d.pay_period WHEN 'month' THEN 2500 + 50 * randint(k, 'pay', 0, 20)
                    WHEN 'hour' THEN 16 + 0.5 * randint(k, 'pay', 0, 12)
                    ELSE 650 + 25 * randint(k, 'pay', 0, 10) END::DOUBLE AS pay_amount,
               day::TIMESTAMP + to_seconds(randint(k, 'second', 0, 86399)) AS posted_at,
               CASE WHEN u(k, 'employer') < 0.55 THEN NULL
                    WHEN u(k, 'employer') < 0.85 THEN pick(k, 'vague', l.employer_vague)
                    ELSE names[fi] END AS employer_name,
               CASE WHEN u(k, 'tpl') < 0.35 THEN t2 ELSE t1 END AS tk,
               d.phone AS phone_e164,
               CASE WHEN u(k, 'obf') < 0.55 THEN randint(k, 'pf', 7, 10)
                    ELSE randint(k, 'pf', 0, 6) END AS fmt,
               CASE WHEN u(k, 'mail') < 0.4 THEN coalesce(pemail,
                    replace(pick(network, 'mail-w', l.tg_words), '_', '.')
                    || randint(network, 'mail-n', 10, 99) || '@'
                    || pick(network, 'mail-h', l.freemail)) END AS email,
               CASE WHEN u(k, 'handle') < 0.7 THEN app0 END AS app,
               '@' || pick(network, 'tg', l.tg_words) || randint(network, 'tg-n', 1, 99) AS tg,
               pick(k, 'job', j.titles) AS job,
               '' AS s_web, '' AS s_hours,
               CASE WHEN u(k, 'noreq') < 0.85 THEN pick(k, 'noreq-p', l.no_requirements)
                    ELSE '' END AS s_req,
               pick(k, 'housing-p', l.housing_scheme) AS s_housing,
               CASE WHEN u(k, 'transport') < 0.7 THEN pick(k, 'transport-p', l.transport_scheme)
                    ELSE '' END AS s_transport,
               CASE WHEN u(k, 'travel') < 0.8 THEN pick(k, 'travel-p', l.travel) ELSE '' END
                   AS s_travel,
               CASE WHEN u(k, 'docs') < 0.6 THEN pick(k, 'docs-p', l.docs) ELSE '' END AS s_docs,
               '' AS s_noreq,
               CASE WHEN u(k, 'personal') < 0.35 THEN pick(k, 'personal-p', l.personal)
                    ELSE '' END AS s_personal,
               CASE WHEN u(k, 'urgency') < 0.7 THEN pick(k, 'urgency-p', l.urgency) ELSE '' END
                   AS s_extra,
               pick(k, 'start', l.start_scheme) AS s_start,
               CASE WHEN u(k, 'employer') < 0.55 THEN ''
                    WHEN u(k, 'employer') < 0.85 THEN pick(k, 'vague', l.employer_vague)
                    ELSE names[fi] END AS s_employer
        FROM d JOIN ad_lang l USING (lang)
        JOIN ad_job j ON j.lang = d.lang AND j.grp = d.job_grp
        JOIN city ci ON u(k, 'city') >= ci.lo AND u(k, 'city') < ci.hi
    """)


# Slots and the column filling them, in replacement order ({start} holds {date}).
SLOTS = [
    ("contact", "s_contact"),
    ("email", "s_email"),
    ("web", "s_web"),
    ("pay", "s_pay"),
    ("employer", "s_employer"),
    ("Job", "s_Job"),
    ("job", "job"),
    ("city", "location"),
    ("country", "s_country"),
    ("hours", "s_hours"),
    ("req", "s_req"),
    ("housing", "s_housing"),
    ("transport", "s_transport"),
    ("travel", "s_travel"),
    ("docs", "s_docs"),
    ("personal", "s_personal"),
    ("extra", "s_extra"),
    ("start", "s_start"),
    ("date", "s_date"),
    ("phone", "s_phone"),
]


def _fill(column: str) -> str:
    sql = column
    for slot, value in SLOTS:
        sql = f"replace({sql}, '{{{slot}}}', coalesce({value}, ''))"
    # Lines left empty by absent slots, and doubled spaces, go.
    return (
        f"trim(regexp_replace(regexp_replace(regexp_replace({sql}, '[ \\t]+(\\n|$)', '\\1', "
        f"'g'), '\\n{{3,}}', '\\n\\n', 'g'), '  +', ' ', 'g'))"
    )


def ads(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Create the ``ad`` table: ordinary job ads and the networks' recruitment clusters."""
    install(con)
    con.execute(_phone_sql())
    total = s.count("ads")
    _networks(con, total)
    n_scheme = int(con.execute("SELECT coalesce(sum(n), 0) FROM ad_net").fetchone()[0])
    n_ordinary = max(0, total - n_scheme)
    _ordinary(con, n_ordinary)
    _scheme(con, n_ordinary)
    decorations = _list(["", "", "", "", "🔥 ", "❗ ", "✅ ", "‼️ ", "⚠️ "])
    con.execute(f"""
        CREATE OR REPLACE TABLE ad AS
        WITH a AS (SELECT * FROM ad_o UNION ALL BY NAME SELECT * FROM ad_s),
        b AS (
            SELECT a.*, tp.id AS template, tp.title AS t_title, tp.body AS t_body,
                   ad_phone_text(phone_e164, fmt, l.digit_words, k) AS s_phone,
                   replace(replace(CASE kind WHEN 'scheme' THEN l.f_pay_net ELSE l.f_pay END,
                       '{{money}}', replace(l.f_money, '{{amount}}',
                           ad_money(pay_amount, pay_period <> 'hour', l.f_decimal,
                                    l.f_thousands))),
                       '{{period}}', CASE pay_period WHEN 'hour' THEN l.per_hour
                                     WHEN 'week' THEN l.per_week ELSE l.per_month END) AS s_pay,
                   CASE WHEN email IS NOT NULL THEN replace(l.f_email, '{{address}}', email)
                        ELSE '' END AS s_email,
                   upper(left(job, 1)) || substr(job, 2) AS s_Job,
                   CASE country WHEN 'BE' THEN l.c_BE WHEN 'DE' THEN l.c_DE ELSE l.c_NL END
                       AS s_country,
                   strftime(posted_at::DATE + CAST(randint(k, 'start-in', 3, 28) AS INT),
                            l.f_date) AS s_date,
                   l.f_tel AS tel,
                   pl.platform, pl.url AS url_pattern
            FROM a JOIN ad_template tp ON tp.lang = a.lang AND tp.kind = a.kind AND tp.k = a.tk
            JOIN ad_lang l ON l.lang = a.lang
            JOIN ad_platform pl ON pl.lang = a.lang AND pl.kind = a.kind
                 AND u(k, 'platform') >= pl.lo AND u(k, 'platform') < pl.hi),
        c AS (
            SELECT b.*,
                   CASE WHEN kind = 'ordinary' THEN tel || ': ' || s_phone
                            || CASE WHEN app = 'whatsapp' THEN ' (WhatsApp)' ELSE '' END
                        WHEN app = 'whatsapp' THEN tel || '/WhatsApp: ' || s_phone
                        WHEN app = 'viber' THEN tel || '/Viber: ' || s_phone
                        WHEN app = 'telegram' THEN tel || ': ' || s_phone || chr(10)
                             || 'Telegram: ' || tg
                        ELSE tel || ': ' || s_phone END AS s_contact,
                   CASE app WHEN 'whatsapp' THEN 'whatsapp:' || phone_e164
                        WHEN 'viber' THEN 'viber:' || phone_e164
                        WHEN 'telegram' THEN 'telegram:' || tg END AS handle,
                   perm(i, 'ad-url', {PRIME_10}) AS n
            FROM b),
        filled AS (
            SELECT c.*, {_fill("t_title")} AS title0, {_fill("t_body")} AS body
            FROM c),
        final AS (
            SELECT *,
                   CASE WHEN kind = 'scheme' AND u(k, 'caps') < 0.2 THEN upper(title0)
                        ELSE title0 END AS title1
            FROM filled)
        SELECT 'AD' || lpad((row_number() OVER (ORDER BY posted_at, n))::VARCHAR, 7, '0') AS id,
               platform,
               replace(replace(replace(url_pattern, '{{n}}', n::VARCHAR), '{{hex}}',
                   printf('%x', n * 7919 + 1000000000000)),
                   '{{slug}}', coalesce(nullif(left(trim(regexp_replace(lower(strip_accents(
                       title1)), '[^a-z0-9]+', '-', 'g'), '-'), 60), ''), 'job')) AS url,
               posted_at, lang AS language, 'job' AS kind,
               CASE WHEN kind = 'scheme' THEN pick(k, 'deco', {decorations}) ELSE '' END
                   || title1 AS title,
               body, location, country, pay_amount, pay_period, 'EUR' AS currency,
               employer_name, s_phone AS phone, phone_e164, email, handle, company_id, network,
               template
        FROM final
        ORDER BY id
    """)
    for t in ("ad_pool", "ad_o", "ad_s", "ad_net0", "ad_net", "ad_netlang"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
