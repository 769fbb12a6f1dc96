"""The comparison records of entity resolution: one row per canonical record id and kind.

Canonical tables hold an entity once per source (ids come from each source's keys), so a
person seen in three registers under one citizen number is already one id, while the same
person in a payroll file without that number is another. Resolution compares these ids. The
rows of one id agree on nearly everything; where they differ, the largest value is compared
(a most-common-value aggregate costs seven times as much at a million records and decides
nothing for the usual two rows). The
feature rows are kept in the workspace (``resolve_input_<kind>``) so a pair can be explained
later with the same values the model saw.

Each person record also carries the files it was read from: two records of one file were
already told apart by that file's own keys (two employee numbers on one payroll), which the
model learns to weigh as evidence against a match.

An identifier shared by many different people (a recruiter's phone given for every worker, an
agency's e-mail) links nobody: it is blanked here and listed in ``shared_identifier``, where it
is a risk signal rather than evidence of identity.
"""

from __future__ import annotations

import duckdb

from invert.resolve import skeleton

KINDS = ("company", "person")

COMPANY = """
CREATE OR REPLACE TABLE resolve_input_company AS
SELECT id AS unique_id, max(name) AS name, max(name_key) AS name_key,
       max(nullif(regexp_replace(registrationNumber, '\\W', '', 'g'), '')) AS registration,
       max(nullif(upper(regexp_replace(vatCode, '\\W', '', 'g')), '')) AS vat,
       max(address_key) AS address_key, max(phone) AS phone, max(lower(email)) AS email,
       max(jurisdiction) AS jurisdiction
FROM company WHERE name_key IS NOT NULL OR registrationNumber IS NOT NULL
GROUP BY id
"""

PEOPLE = """
CREATE OR REPLACE TEMP TABLE person_words AS
WITH people AS (
    SELECT id, max(name) AS name, max(name_key) AS name_key, max(birthDate) AS birth,
           max(taxNumber) AS tax_number,
           max(coalesce(passportNumber, idNumber)) AS document,
           max(phone) AS phone, max(lower(email)) AS email,
           max(nationality) AS nationality, max(address_key) AS address_key,
           list(DISTINCT source_id ORDER BY source_id) AS sources
    FROM person WHERE name_key IS NOT NULL GROUP BY id)
-- name words without particles, sorted: order and "de"/"van" stop mattering
SELECT *, list_sort(list_filter(string_split(name_key, ' '),
                                t -> t <> '' AND NOT list_contains($particles, t))) AS words
FROM people
"""

PERSON = """
CREATE OR REPLACE TABLE resolve_input_person AS
WITH jobs AS (
    SELECT employee, employer FROM employment UNION SELECT employee, employer FROM wage_payment),
employers AS (
    SELECT j.employee, list(DISTINCT coalesce(e.entity_id, j.employer) ORDER BY 1) AS employers
    FROM jobs j LEFT JOIN entity e ON e.kind = 'company' AND e.record_id = j.employer
    WHERE j.employer IS NOT NULL GROUP BY j.employee),
skeletons AS (
    SELECT u.id, list_sort(list(s.skeleton)) AS skeletons
    FROM (SELECT id, unnest(words) AS word FROM person_words) u
    JOIN word_skeleton s ON s.word = u.word GROUP BY u.id),
shared AS (SELECT value, kind FROM shared_identifier)
SELECT p.id AS unique_id, p.name, array_to_string(p.words, ' ') AS name_key,
       p.words AS name_tokens, k.skeletons[1] AS skeleton_first,
       k.skeletons[-1] AS skeleton_last, array_to_string(k.skeletons, ' ') AS skeleton_key,
       p.birth, p.tax_number, p.document,
       CASE WHEN sp.value IS NULL THEN p.phone END AS phone,
       CASE WHEN se.value IS NULL THEN p.email END AS email,
       p.nationality, p.address_key, e.employers, p.sources
FROM person_words p
LEFT JOIN skeletons k ON k.id = p.id
LEFT JOIN employers e ON e.employee = p.id
LEFT JOIN shared sp ON sp.kind = 'phone' AND sp.value = p.phone
LEFT JOIN shared se ON se.kind = 'email' AND se.value = lower(p.email)
"""

SHARED = """
CREATE OR REPLACE TABLE shared_identifier AS
WITH uses AS (
    SELECT 'phone' AS kind, phone AS value, id, name_key, birthDate FROM person
    WHERE phone IS NOT NULL
    UNION ALL
    SELECT 'email', lower(email), id, name_key, birthDate FROM person WHERE email IS NOT NULL)
SELECT kind, value, count(DISTINCT id) AS records,
       count(DISTINCT coalesce(name_key, '') || coalesce(birthDate::VARCHAR, '')) AS people,
       list(DISTINCT id ORDER BY id) AS record_ids
FROM uses GROUP BY kind, value
HAVING count(DISTINCT coalesce(name_key, '') || coalesce(birthDate::VARCHAR, '')) >= $min_people
"""


def build_company(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(COMPANY)
    return con.execute("SELECT count(*) FROM resolve_input_company").fetchone()[0]


# Surname particles, dropped before comparing: sources disagree on them ("DE GROOT, Noor" and
# "Noor de Groot"; one keeps "van den", another files the name under "Berg").
PARTICLES = [
    "d",
    "da",
    "de",
    "del",
    "della",
    "den",
    "der",
    "des",
    "di",
    "do",
    "dos",
    "du",
    "het",
    "la",
    "le",
    "t",
    "ten",
    "ter",
    "van",
    "von",
    "y",
    "zu",
]


def build_person(con: duckdb.DuckDBPyConnection, shared_min_people: int) -> int:
    """Person features; needs the company entities (employers are compared as entities)."""
    con.execute(SHARED, {"min_people": shared_min_people})
    con.execute(PEOPLE, {"particles": PARTICLES})
    skeleton.install(con, "SELECT unnest(words) FROM person_words")
    con.execute(PERSON)
    return con.execute("SELECT count(*) FROM resolve_input_person").fetchone()[0]
