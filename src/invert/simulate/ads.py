"""Online job ads: ordinary vacancies of the region's firms and the recruiters' planted clusters.

Ordinary ads come from active firms, in proportion to their size (agencies post more and also
recruit abroad in the workers' languages). They state lawful pay, name the employer and give
the firm's own phone and e-mail. Some carry single indicators every job board is full of
("urgent", "no experience needed", lawful seasonal housing), so no one of them is a signal.

A network running ``recruitment_ads`` has its recruiter post a cluster of near-duplicate ads in
the victims' languages: one or two templates with varying slots, the recruiter's own phone
written in changing (often obfuscated) ways, a messaging handle, no or a vague employer, pay far
above the market, housing and travel "arranged" and paid back from wages (indicators of section
5a, job ads, of the indicator reference).

Templates and phrases are data (``data/ads/<lang>.yml``); all drawing and slot filling is SQL
keyed by ad and purpose, so the same seed gives the same ads.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pyarrow as pa

from invert.errors import InvertError
from invert.simulate.config import DATA, Settings, data
from invert.simulate.lookups import _cumulative, _register

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
        for kind in ("ordinary", "scheme"):
            for tpl in d.get(kind) or []:
                problems += _template_problems(lang, tpl)
        if len(d["digits"]) != 10:
            problems.append(f"ads/{lang}.yml: digits must list the words for 0-9")
    if problems:
        raise InvertError("invalid ad data", problems)
    return files


def install(con: duckdb.DuckDBPyConnection) -> list[tuple[str, ...]]:
    """The ad data files as lookup tables (ad_lang, ad_lang_cum, ad_platform, ad_template,
    ad_job, ad_audience, ad_cities, ad_slug); returns the templates' optional lines."""
    files = _load()
    langs = list(files)

    def col(f) -> list:  # type: ignore[no-untyped-def]
        return [f(files[lang]) for lang in langs]

    lang_cols: dict[str, list] = {
        "lang": langs,
        "n_ordinary": col(lambda d: len(d["ordinary"])),
        "n_scheme": col(lambda d: len(d.get("scheme") or [])),
        "digit_words": col(lambda d: [str(x) for x in d["digits"]]),
        **{f"c_{c}": col(lambda d, c=c: d["countries"][c]) for c in ("NL", "BE", "DE")},
        **{f"f_{k}": col(lambda d, k=k: str(d["format"][k])) for k in FORMAT_KEYS},
        **{
            f"per_{p}": col(lambda d, p=p: d["format"]["period"][p])
            for p in ("hour", "week", "month")
        },
        **{
            k: col(lambda d, k=k: [str(x) for x in d["phrases"].get(k) or []])
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
    rows = {"lang": [], "pkind": [], "platform": [], "url": [], "lo": [], "hi": []}
    for lang in langs:
        for kind, key in (("ordinary", "legit"), ("scheme", "scheme")):
            ps = [p for p in files[lang]["platforms"] if p.get(key, 0) > 0]
            if not ps:
                continue
            lo, hi = _cumulative([float(p[key]) for p in ps])
            rows["lang"] += [lang] * len(ps)
            rows["pkind"] += [kind] * len(ps)
            rows["platform"] += [p["name"] for p in ps]
            rows["url"] += [p["url"] for p in ps]
            rows["lo"] += lo
            rows["hi"] += hi
    _register(con, "ad_platform", pa.table(rows))
    # Templates, and the format() strings they compile to (_format_string); which fields they
    # show.
    optional = _optional_lines(files)
    rows = {
        "lang": [],
        "tkind": [],
        "tno": [],
        "id": [],
        "title": [],
        "body": [],
        "fmt_title": [],
        "fmt_body": [],
        "has_employer": [],
        "has_email": [],
        "has_contact": [],
    }
    for lang in langs:
        for kind in ("ordinary", "scheme"):
            for k, t in enumerate(files[lang].get(kind) or [], start=1):
                rows["lang"].append(lang)
                rows["tkind"].append(kind)
                rows["tno"].append(k)
                rows["id"].append(t["id"])
                rows["title"].append(t["title"].strip())
                rows["body"].append(t["body"].strip())
                rows["fmt_title"].append(_format_string(t["title"], optional))
                rows["fmt_body"].append(_format_string(t["body"], optional))
                for slot in ("employer", "email", "contact"):
                    rows[f"has_{slot}"].append("{" + slot + "}" in t["title"] + t["body"])
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
    # The region's cities, each repeated by its weight, for one-lookup weighted draws.
    cities = [str(c["name"]) for c in data("region")["cities"] for _ in range(round(c["weight"]))]
    con.execute("CREATE OR REPLACE TABLE ad_cities AS SELECT ?::VARCHAR[] AS cities", [cities])
    # URL slugs of job titles and places, made here once rather than per ad.
    texts = sorted(
        {str(x) for d in files.values() for ts in d["jobs"].values() for x in ts}
        | {str(c["name"]) for c in data("region")["cities"]}
        | {c for cs in ABROAD.values() for c in cs}
    )
    _register(con, "ad_slug", pa.table({"text": texts, "slug": [_slug(x) for x in texts]}))
    return optional


CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъыьэюяєіїґё",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sht",
            "a",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "ye",
            "i",
            "yi",
            "g",
            "yo",
        ],
        strict=True,
    )
)


def _slug(text: str) -> str:
    text = "".join(CYRILLIC.get(ch, ch) for ch in text.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "job"


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
        -- Draws with the purpose folded into the hashed key: DuckDB's hash(seed, k, p) XORs
        -- the parts, so u(k, p1) and u(k, p2) would be bit flips of one another.
        CREATE OR REPLACE MACRO ad_u(k, p) AS u(CAST(k AS VARCHAR) || '|' || p, 'ad');
        CREATE OR REPLACE MACRO ad_randint(k, p, lo, hi) AS
            CAST(lo + floor(ad_u(k, p) * (hi - lo + 1)) AS BIGINT);
        CREATE OR REPLACE MACRO ad_pick(k, p, xs) AS xs[1 + floor(ad_u(k, p) * len(xs))::BIGINT];
        CREATE OR REPLACE MACRO ad_cc(e) AS CASE {cc} ELSE substr(e, 2, 2) END;
        CREATE OR REPLACE MACRO ad_trunk(cc) AS CASE cc {trunk} ELSE '' END;
        CREATE OR REPLACE MACRO ad_grp(x, sep) AS
            regexp_replace(x, '^(.{{3}})(.{{3}})(.+)$', '\\1' || sep || '\\2' || sep || '\\3');
        -- Subscriber number in groups; Dutch numbers split after the area code (a digits).
        CREATE OR REPLACE MACRO ad_g(nsn, a, sep) AS CASE WHEN a > 0
            THEN left(nsn, a) || sep || substr(nsn, a + 1) ELSE ad_grp(nsn, sep) END;
        CREATE OR REPLACE MACRO ad_phone_parts(e, cc, nsn, tr, a, j, fmt, words) AS CASE fmt
            WHEN 0 THEN e
            WHEN 1 THEN '+' || cc || ' ' || ad_g(nsn, a, ' ')
            WHEN 2 THEN '00' || cc || ' ' || ad_g(nsn, a, ' ')
            WHEN 3 THEN tr || ad_g(nsn, a, ' ')
            WHEN 4 THEN replace(tr, ' ', '') || nsn
            WHEN 5 THEN tr || ad_g(nsn, a, '-')
            WHEN 6 THEN '+' || cc || '.' || ad_g(nsn, a, '.')
            -- one digit spelled out: +40 7two1 234 567
            WHEN 7 THEN '+' || cc || ' ' || replace(ad_g(substr(nsn, 1, j - 1) || '#'
                        || substr(nsn, j + 1), a, ' '), '#',
                        words[CAST(substr(nsn, j, 1) AS INT) + 1])
            -- letter O for zero
            WHEN 8 THEN replace(tr || ad_g(nsn, a, ' '), '0', 'O')
            -- every digit apart
            WHEN 9 THEN array_to_string(string_split(replace(tr, ' ', '') || nsn, ''), ' ')
            -- the trunk zero as a word, or digit pairs
            ELSE CASE WHEN tr = '0' THEN words[1] || ' ' || ad_g(nsn, a, ' ')
                      ELSE '+' || cc || ' ' || trim(regexp_replace(nsn, '(..)', '\\1 ', 'g')) END
            END;
        -- Money as the language writes it: 14,35 / 2.450
        CREATE OR REPLACE MACRO ad_money(a, whole, sep, th) AS CASE
            WHEN whole AND a >= 1000 THEN CAST(floor(a / 1000) AS BIGINT)::VARCHAR || th
                 || lpad((CAST(round(a) AS BIGINT) % 1000)::VARCHAR, 3, '0')
            WHEN whole THEN CAST(round(a) AS BIGINT)::VARCHAR
            ELSE replace(printf('%.2f', a), '.', sep) END;
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
               -- a cluster of 8-40 ads, larger for larger networks
               least(40, greatest(8, round((4 + 2 * victims)
                   * (0.7 + 0.6 * ad_u(nw.network, 'ad-count')))))::INT AS n0
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
                 AND ad_u(v.network || v.nat, 'ad-lang') >= a.lo
                 AND ad_u(v.network || v.nat, 'ad-lang') < a.hi
            GROUP BY ALL),
        cum AS (
            SELECT network, lang, sum(c) OVER w / sum(c) OVER (PARTITION BY network) AS hi,
                   (sum(c) OVER w - c) / sum(c) OVER (PARTITION BY network) AS lo
            FROM l WINDOW w AS (PARTITION BY network ORDER BY lang))
        SELECT cum.*, 1 + floor(ad_u(network || lang, 'tpl1') * al.n_scheme)::INT AS t1,
               CASE WHEN al.n_scheme > 1 AND ad_u(network || lang, 'two-tpl') < 0.5
                    THEN 1 + ((floor(ad_u(network || lang, 'tpl1') * al.n_scheme)::INT + 1
                               + floor(ad_u(network || lang, 'tpl2') * (al.n_scheme - 1))::INT)
                              % al.n_scheme)
                    ELSE 1 + floor(ad_u(network || lang, 'tpl1') * al.n_scheme)::INT END AS t2
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
        WITH o AS (SELECT i, 'o' || i AS k, ad_u('o' || i, 'company') * {total_w or 1} AS x
                   FROM range({n}) t(i)),
        c AS (SELECT o.*, p.* EXCLUDE (lo, w) FROM o ASOF JOIN ad_pool p ON o.x >= p.lo),
        d AS (
            SELECT c.*, lc.lang,
                   CASE WHEN agency THEN ad_pick(k, 'agency-group', {_list(AGENCY_GROUPS)})
                        ELSE grp END AS job_grp,
                   CASE WHEN agency AND ad_u(k, 'abroad') < 0.03
                        THEN CASE WHEN ad_u(k, 'abroad-c') < 0.5 THEN 'BE' ELSE 'DE' END
                        ELSE 'NL' END AS country,
                   CASE WHEN ad_u(k, 'period') < 0.65 THEN 'hour' WHEN ad_u(k, 'period') < 0.95
                        THEN 'month' ELSE 'week' END AS pay_period,
                   greatest({minimum}, {minimum} * pay_factor * (0.97 + 0.28 * ad_u(k, 'pay')))
                       AS rate,
                   greatest(DATE '2024-01-01', founded) AS first_day
            FROM c JOIN ad_lang_cum lc
                 ON lc.kind = CASE WHEN agency THEN 'agency' ELSE 'employer' END
                 AND ad_u(k, 'lang') >= lc.lo AND ad_u(k, 'lang') < lc.hi)
        SELECT d.i, d.k, 'ordinary' AS kind, d.lang, d.company_id,
               CAST(NULL AS VARCHAR) AS network, d.country, d.pay_period,
               CASE WHEN d.country = 'BE' THEN ad_pick(k, 'abroad-city', {_list(ABROAD["BE"])})
                    WHEN d.country = 'DE' THEN ad_pick(k, 'abroad-city', {_list(ABROAD["DE"])})
                    WHEN agency AND ad_u(k, 'client-city') < 0.6 THEN ad_pick(k, 'city', ci.cities)
                    ELSE own_city END AS location,
               CASE d.pay_period WHEN 'hour' THEN ceil(rate * 20) / 20
                    WHEN 'month' THEN ceil(rate * 38 * 52 / 12 / 10) * 10
                    ELSE ceil(rate * 38 / 5) * 5 END AS pay_amount,
               (first_day + CAST(floor(ad_u(k, 'day') * (DATE '2024-12-31' - first_day + 1))
                                 AS INT))::TIMESTAMP
                   + to_seconds(ad_randint(k, 'second', 6 * 3600, 23 * 3600)) AS posted_at,
               CASE WHEN ad_u(k, 'anon') < CASE WHEN agency THEN 0.12 ELSE 0.04 END THEN NULL
                    ELSE name END AS employer_name,
               1 + floor(ad_u(company_id || lang || CASE WHEN ad_u(k, 'own-tpl') < 0.75 THEN 'a'
                                                      ELSE 'b' END, 'tpl')
                         * l.n_ordinary)::INT AS tk,
               phone AS phone_e164,
               CASE WHEN ad_u(k, 'pf') < 0.8 THEN ad_randint(company_id, 'pf', 0, 6)
                    ELSE ad_randint(k, 'pf', 0, 6) END AS fmt,
               email,
               CASE WHEN ad_u(k, 'wa') < CASE WHEN agency THEN 0.12
                                           WHEN job_grp IN ('hospitality', 'beauty', 'carwash')
                                           THEN 0.08 ELSE 0.01 END
                    THEN 'whatsapp' END AS app,
               CAST(NULL AS VARCHAR) AS tg,
               ad_pick(k, 'job', j.titles) AS job,
               CASE WHEN email IS NOT NULL THEN replace(l.f_web, '{{site}}',
                    'www.' || split_part(email, '@', 2)) ELSE '' END AS s_web,
               ad_pick(k, 'hours', l.hours) AS s_hours,
               ad_pick(k, 'req', l.requirements) AS s_req,
               CASE WHEN ad_u(k, 'housing') < CASE WHEN agency AND lang NOT IN ('nl', 'en') THEN 0.7
                                                WHEN agency THEN 0.3
                                                WHEN job_grp = 'agri' THEN 0.35
                                                WHEN job_grp IN ('food', 'hospitality') THEN 0.1
                                                ELSE 0.02 END
                    THEN ad_pick(k, 'housing-p', l.housing_legal) ELSE '' END AS s_housing,
               CASE WHEN ad_u(k, 'transport') < CASE WHEN agency AND lang NOT IN ('nl', 'en')
                                                  THEN 0.6 WHEN agency THEN 0.25
                                                  WHEN job_grp = 'agri' THEN 0.2 ELSE 0.05 END
                    THEN ad_pick(k, 'transport-p', l.transport_legal) ELSE '' END AS s_transport,
               '' AS s_travel, '' AS s_docs, '' AS s_personal,
               CASE WHEN ad_u(k, 'flag') < 0.25 THEN ad_pick(k, 'flag-p', l.flags) ELSE '' END
                   AS s_extra,
               ad_pick(k, 'start', l.start) AS s_start0,
               CASE WHEN ad_u(k, 'anon') < CASE WHEN agency THEN 0.12 ELSE 0.04 END
                    THEN ad_pick(k, 'client', l.client) ELSE name END AS s_employer
        FROM d JOIN ad_lang l USING (lang)
        JOIN ad_job j ON j.lang = d.lang AND j.grp = d.job_grp
        CROSS JOIN ad_cities ci
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
                        THEN ad_pick(k, 'scheme-group', ['agri', 'agri', 'warehouse', 'food'])
                        ELSE {_group_sql("r.nace")} END AS job_grp,
                   CASE WHEN ad_u(k, 'period') < 0.55 THEN 'month' WHEN ad_u(k, 'period') < 0.95
                        THEN 'hour' ELSE 'week' END AS pay_period,
                   1 + floor(ad_u(k, 'firm') * len(firms))::INT AS fi,
                   least(DATE '2024-12-31', DATE '2024-01-03'
                         + CAST(ad_randint(r.network, 'ads-start', 0, 180) AS INT)
                         + CAST(ad_randint(k, 'day', 0, 180) AS INT)) AS day,
                   ad_pick(r.network, 'app', ['whatsapp', 'whatsapp', 'telegram', 'viber']) AS app0
            FROM r JOIN ad_netlang nl ON nl.network = r.network
                 AND ad_u(k, 'lang') >= nl.lo AND ad_u(k, 'lang') < nl.hi)
        SELECT d.i, d.k, 'scheme' AS kind, d.lang, firms[fi] AS company_id, d.network,
               'NL' AS country, d.pay_period, ad_pick(k, 'city', ci.cities) AS location,
               CASE d.pay_period WHEN 'month' THEN 2500 + 50 * ad_randint(k, 'pay', 0, 20)
                    WHEN 'hour' THEN 16 + 0.5 * ad_randint(k, 'pay', 0, 12)
                    ELSE 650 + 25 * ad_randint(k, 'pay', 0, 10) END::DOUBLE AS pay_amount,
               day::TIMESTAMP + to_seconds(ad_randint(k, 'second', 0, 86399)) AS posted_at,
               CASE WHEN ad_u(k, 'employer') < 0.55 THEN NULL
                    WHEN ad_u(k, 'employer') < 0.85 THEN ad_pick(k, 'vague', l.employer_vague)
                    ELSE names[fi] END AS employer_name,
               CASE WHEN ad_u(k, 'tpl') < 0.35 THEN t2 ELSE t1 END AS tk,
               d.phone AS phone_e164,
               CASE WHEN ad_u(k, 'obf') < 0.55 THEN ad_randint(k, 'pf', 7, 10)
                    ELSE ad_randint(k, 'pf', 0, 6) END AS fmt,
               CASE WHEN ad_u(k, 'mail') < 0.4 THEN coalesce(pemail,
                    replace(ad_pick(network, 'mail-w', l.tg_words), '_', '.')
                    || ad_randint(network, 'mail-n', 10, 99) || '@'
                    || ad_pick(network, 'mail-h', l.freemail)) END AS email,
               CASE WHEN ad_u(k, 'handle') < 0.7 THEN app0 END AS app,
               '@' || ad_pick(network, 'tg', l.tg_words)
                   || ad_randint(network, 'tg-n', 1, 99) AS tg,
               ad_pick(k, 'job', j.titles) AS job,
               '' AS s_web, '' AS s_hours,
               CASE WHEN ad_u(k, 'noreq') < 0.85 THEN ad_pick(k, 'noreq-p', l.no_requirements)
                    ELSE '' END AS s_req,
               ad_pick(k, 'housing-p', l.housing_scheme) AS s_housing,
               CASE WHEN ad_u(k, 'transport') < 0.7
                    THEN ad_pick(k, 'transport-p', l.transport_scheme) ELSE '' END AS s_transport,
               CASE WHEN ad_u(k, 'travel') < 0.8 THEN ad_pick(k, 'travel-p', l.travel) ELSE '' END
                   AS s_travel,
               CASE WHEN ad_u(k, 'docs') < 0.6 THEN ad_pick(k, 'docs-p', l.docs) ELSE '' END
                   AS s_docs,
               CASE WHEN ad_u(k, 'personal') < 0.35 THEN ad_pick(k, 'personal-p', l.personal)
                    ELSE '' END AS s_personal,
               CASE WHEN ad_u(k, 'urgency') < 0.7 THEN ad_pick(k, 'urgency-p', l.urgency)
                    ELSE '' END AS s_extra,
               ad_pick(k, 'start', l.start_scheme) AS s_start0,
               CASE WHEN ad_u(k, 'employer') < 0.55 THEN ''
                    WHEN ad_u(k, 'employer') < 0.85 THEN ad_pick(k, 'vague', l.employer_vague)
                    ELSE names[fi] END AS s_employer
        FROM d JOIN ad_lang l USING (lang)
        JOIN ad_job j ON j.lang = d.lang AND j.grp = d.job_grp
        CROSS JOIN ad_cities ci
    """)


# Template slots and the column filling them.
SLOTS = {
    "contact": "s_contact",
    "email": "s_email",
    "web": "s_web",
    "pay": "s_pay",
    "employer": "s_employer",
    "Job": "s_Job",
    "job": "job",
    "city": "location",
    "country": "s_country",
    "hours": "s_hours",
    "req": "s_req",
    "housing": "s_housing",
    "transport": "s_transport",
    "travel": "s_travel",
    "docs": "s_docs",
    "personal": "s_personal",
    "extra": "s_extra",
    "start": "s_start",
    "phone": "s_phone",
}
SLOT = re.compile(r"(\{[A-Za-z]+\})")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pure_slots(line: str) -> tuple[str, ...]:
    """The slots of a line made only of slots (an optional line), else ()."""
    tokens = [x for x in SLOT.split(line) if x]
    slots = tuple(x[1:-1] for x in tokens if SLOT.fullmatch(x))
    literal = "".join(x for x in tokens if not SLOT.fullmatch(x))
    return slots if slots and not literal.strip() else ()


def _optional_lines(files: dict[str, dict]) -> list[tuple[str, ...]]:
    """Every optional line of every template, as its slots."""
    found = set()
    for d in files.values():
        for kind in ("ordinary", "scheme"):
            for tpl in d.get(kind) or []:
                for text in (tpl["title"], tpl["body"]):
                    found |= {_pure_slots(line) for line in text.strip().split("\n")}
    return sorted(found - {()})


def _format_string(text: str, optional: list[tuple[str, ...]]) -> str:
    """A template as a format() string over _format_args: {i} for the i-th slot. Every line but
    the first starts with its line break; an optional line is one argument holding its break
    and slots, or nothing when they are all empty."""
    names = list(SLOTS)
    out = []
    for n, line in enumerate(text.strip().split("\n")):
        slots = _pure_slots(line)
        if slots:
            out.append("{" + str(len(names) + optional.index(slots)) + "}")
            continue
        out.append("\n" if n else "")
        out.append(
            "".join(
                "{" + str(names.index(x[1:-1])) + "}"
                if SLOT.fullmatch(x)
                else x.replace("{", "{{").replace("}", "}}")
                for x in SLOT.split(line)
                if x
            )
        )
    return "".join(out)


def _format_args(optional: list[tuple[str, ...]]) -> str:
    args = [f"coalesce({column}, '')" for column in SLOTS.values()]
    for slots in optional:
        joined = ", ".join(f"nullif({SLOTS[x]}, '')" for x in slots)
        args.append(f"coalesce(chr(10) || nullif(concat_ws(' ', {joined}), ''), '')")
    return ", ".join(args)


def _template_problems(lang: str, tpl: dict) -> list[str]:
    text = tpl["title"] + "\n" + tpl["body"]
    unknown = sorted({x[1:-1] for x in SLOT.findall(text)} - set(SLOTS))
    problems = []
    if unknown:
        problems.append(f"ads/{lang}.yml: template {tpl['id']} has unknown slots {unknown}")
    # The first line is fixed text, and so is some line of every paragraph: no text then
    # starts or ends with a line break, and no paragraph is left empty.
    for field in ("title", "body"):
        for k, para in enumerate(tpl[field].strip().split("\n\n")):
            lines = para.split("\n")
            if all(_pure_slots(x) for x in lines) or (k == 0 and _pure_slots(lines[0])):
                problems.append(
                    f"ads/{lang}.yml: template {tpl['id']} {field}: a paragraph "
                    "or the first line is only slots"
                )
    if "{pay}" not in text or ("{contact}" not in text and "{phone}" not in text):
        problems.append(
            f"ads/{lang}.yml: template {tpl['id']} needs {{pay}} and {{contact}} or {{phone}}"
        )
    return problems


def _date_sql(day: str, fmt: str) -> str:
    """strftime with the language's format (DuckDB wants a constant format)."""
    formats = sorted({str(d["format"]["date"]) for d in _load().values()})
    cases = " ".join(f"WHEN '{f}' THEN strftime({day}, '{f}')" for f in formats)
    return f"CASE {fmt} {cases} END"


def ads(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Create the ``ad`` table: ordinary job ads and the networks' recruitment clusters."""
    optional = install(con)
    args = _format_args(optional)
    con.execute(_phone_sql())
    total = s.count("ads")
    _networks(con, total)
    n_scheme = int(con.execute("SELECT coalesce(sum(n), 0) FROM ad_net").fetchone()[0])
    n_ordinary = max(0, total - n_scheme)
    _ordinary(con, n_ordinary)
    _scheme(con, n_ordinary)
    # Ids and the platforms' ad numbers in order of posting (numbers with random gaps, as a
    # site counts all its ads), so that neither tells planted ads apart.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ad_id AS
        WITH r AS (SELECT i, k, row_number() OVER (ORDER BY posted_at, i) AS r
                   FROM (SELECT i, k, posted_at FROM ad_o
                         UNION ALL SELECT i, k, posted_at FROM ad_s))
        SELECT i, r, 'AD' || lpad(r::VARCHAR, 7, '0') AS id,
               1000000000 + r * 4999 + ad_randint(k, 'url-gap', 0, 4998) AS n
        FROM r""")
    decorations = _list(["", "", "", "", "🔥 ", "❗ ", "✅ ", "‼️ ", "⚠️ "])
    con.execute(f"""
        CREATE OR REPLACE TABLE ad AS
        WITH a0 AS (SELECT *, ad_cc(phone_e164) AS cc
                    FROM (SELECT * FROM ad_o UNION ALL BY NAME SELECT * FROM ad_s)),
        -- the phone number's parts, once per ad (macros repeat their arguments)
        a AS (SELECT *, substr(phone_e164, 2 + length(cc)) AS nsn, ad_trunk(cc) AS tr,
                     CASE WHEN cc <> '31' THEN 0 WHEN substr(phone_e164, 4, 1) = '6' THEN 1
                          WHEN substr(phone_e164, 4, 3) = '174' THEN 3 ELSE 2 END AS area,
                     ad_randint(k, 'obf-pos', 2, length(phone_e164) - 1 - length(cc)) AS j
              FROM a0),
        b AS (
            SELECT a.*, tp.id AS template, tp.fmt_title, tp.fmt_body, tp.has_employer,
                   tp.has_email, tp.has_contact,
                   ad_phone_parts(phone_e164, cc, nsn, tr, area, j, fmt, l.digit_words) AS s_phone,
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
                   replace(s_start0, '{{date}}', {
        _date_sql("posted_at::DATE + CAST(ad_randint(k, 'start-in', 3, 28) AS INT)", "l.f_date")
    }) AS s_start,
                   l.f_tel AS tel,
                   pl.platform, pl.url AS url_pattern
            FROM a JOIN ad_template tp ON tp.lang = a.lang AND tp.tkind = a.kind AND tp.tno = a.tk
            JOIN ad_lang l ON l.lang = a.lang
            JOIN ad_platform pl ON pl.lang = a.lang AND pl.pkind = a.kind
                 AND ad_u(k, 'platform') >= pl.lo AND ad_u(k, 'platform') < pl.hi),
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
                        WHEN 'telegram' THEN 'telegram:' || tg END AS handle
            FROM b),
        filled AS (
            -- title and body in one format() call: its arguments are evaluated once
            SELECT c.*, string_split(format(fmt_title || chr(30) || fmt_body, {args}), chr(30))
                   AS ad_text
            FROM c),
        out AS (
            SELECT ids.id, platform,
                   replace(replace(replace(url_pattern, '{{n}}', ids.n::VARCHAR), '{{hex}}',
                       printf('%011x', hash(ids.n) >> 20) || printf('%05x', ids.r)),
                       '{{slug}}', coalesce(js.slug || '-' || cs.slug, 'job')) AS url,
                   posted_at, lang AS language, 'job' AS kind,
                   CASE WHEN kind = 'scheme' THEN ad_pick(k, 'deco', {decorations}) ELSE '' END
                   || CASE WHEN kind = 'scheme' AND ad_u(k, 'caps') < 0.2
                           THEN upper(ad_text[1]) ELSE ad_text[1] END AS title,
                   ad_text[2] AS body,
                   location, country, pay_amount, pay_period, 'EUR' AS currency,
                   -- what the text shows
                   CASE WHEN has_employer THEN employer_name END AS employer_name,
                   s_phone AS phone, phone_e164, CASE WHEN has_email THEN email END AS email,
                   CASE WHEN has_contact THEN handle END AS handle,
                   company_id, network, template
            FROM filled JOIN ad_id ids USING (i)
            LEFT JOIN ad_slug js ON js.text = filled.job
            LEFT JOIN ad_slug cs ON cs.text = filled.location)
        SELECT * FROM out ORDER BY id
    """)
    for t in ("ad_pool", "ad_o", "ad_s", "ad_net0", "ad_net", "ad_netlang", "ad_id"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
