"""The answer key, written apart from the data: networks and their schemes, labels per
company, person, account and ad, the true identity behind every source row, and what each
network earned.

Labels name entities by what the sources carry (registration numbers, citizen numbers, IBANs,
ad URLs) and, for entity resolution, by (file, line), so an evaluation can join them to any
workspace built from the files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from invert.simulate.work import minimum_rate_sql
from invert.simulate.writers import BANK_FILES, provider_a


def write(con: duckdb.DuckDBPyConnection, folder: Path, settings: dict) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)

    def copy(query: str, name: str) -> None:
        con.execute(f"COPY ({query}) TO '{folder / name}' (FORMAT csv, HEADER)")

    copy(
        """
        SELECT c.kvk, c.vat, c.name, c.id AS company_id,
               CASE WHEN c.network LIKE 'N%' THEN 1 ELSE 0 END AS label, c.network,
               array_to_string(w.schemes, '|') AS schemes, la.kind AS look_alike
        FROM company c LEFT JOIN network w ON w.network = c.network
        LEFT JOIN (SELECT entity_id, any_value(kind) AS kind FROM look_alike
                   WHERE entity = 'company' GROUP BY 1) la ON la.entity_id = c.id
        ORDER BY c.kvk""",
        "labels_companies.csv",
    )
    copy(
        """
        SELECT p.id AS person_id, p.bsn, split_part(p.first_raw, '|', 1) AS first_name,
               split_part(p.last_raw, '|', 1) AS last_name, p.birth, p.nat,
               coalesce(r.role, CASE WHEN p.network LIKE 'L%' THEN 'look_alike' ELSE p.role END)
               AS role,
               CASE WHEN r.role = 'victim' THEN 1 ELSE 0 END AS victim,
               CASE WHEN r.role = 'victim' AND date_diff('year', p.birth, DATE '2024-07-01') < 16
                    THEN 1 ELSE 0 END AS child,
               CASE WHEN r.role IN ('controller', 'recruiter', 'straw_director') THEN 1 ELSE 0
               END AS offender,
               p.network, la.kind AS look_alike
        FROM person p LEFT JOIN network_role r ON r.person_id = p.id
        LEFT JOIN look_alike la ON la.entity_id = p.id
        ORDER BY p.id""",
        "labels_persons.csv",
    )
    copy(
        """
        WITH roles AS (
            SELECT a.iban, a.holder_id, a.network,
                   CASE WHEN a.holder_id IN (SELECT controller FROM network) THEN 'controller'
                        WHEN a.holder_id IN (SELECT recruiter FROM network) THEN 'recruiter'
                        WHEN a.holder_id IN (SELECT pay_to FROM pay_rule p JOIN person v
                                             ON v.id = p.person_id WHERE v.network LIKE 'N%')
                             THEN 'collector'
                        WHEN a.holder_kind = 'person-abroad' THEN 'profits_abroad'
                        WHEN a.network LIKE 'N%' AND a.holder_kind = 'company'
                             THEN 'network_company'
                        WHEN a.network LIKE 'N%' THEN 'victim'
                   END AS role
            FROM account a)
        SELECT iban, holder_id, role,
               CASE WHEN role IN ('controller', 'recruiter', 'collector', 'profits_abroad',
                                  'network_company') THEN 1 ELSE 0 END AS label,
               network
        FROM roles ORDER BY iban""",
        "labels_accounts.csv",
    )
    if con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ad'"
    ).fetchone()[0]:
        copy(
            """SELECT url, id AS ad_id, CASE WHEN network IS NOT NULL THEN 1 ELSE 0 END AS label,
                       network, template, phone_e164 FROM ad ORDER BY url""",
            "labels_ads.csv",
        )
    _records(con, folder / "records.csv")
    profit = _profit(con)
    copy("SELECT * FROM profit ORDER BY network", "profit.csv")
    networks = []
    for row in con.execute("""
            SELECT w.network, w.template, w.schemes, w.rate_factor, w.extra_hours,
                   w.housing_deduction, w.fee, w.confiscated_share, w.child_share,
                   (SELECT list(kvk ORDER BY kvk) FROM company c WHERE c.network = w.network),
                   (SELECT list({'person_id': r.person_id, 'role': r.role} ORDER BY r.person_id)
                    FROM network_role r WHERE r.network = w.network)
            FROM network w ORDER BY w.network""").fetchall():
        networks.append(
            {
                "network": row[0],
                "template": row[1],
                "schemes": row[2],
                "parameters": {
                    "rate_factor": row[3],
                    "extra_hours_per_week": row[4],
                    "housing_deduction_per_month": row[5],
                    "fee_per_month": row[6],
                    "confiscated_share": row[7],
                    "child_share": row[8],
                },
                "companies": row[9],
                "people": row[10],
                "profit": profit.get(row[0], {}),
            }
        )
    (folder / "networks.json").write_text(
        json.dumps({"settings": settings, "networks": networks}, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    return {nw: p["total"] for nw, p in profit.items()}


def _records(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Which true entity each source row describes (file, line, kind, true id), ordered by
    file, line and kind: the writers' parts, each already in line and kind order, joined in
    file order."""
    parts = con.execute("SELECT file, path FROM truth_part ORDER BY file").fetchall()
    with open(path, "wb") as dst:
        dst.write(b"file,line,kind,true_id\n")
        for _file, part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 22)
            Path(part).unlink()


def _profit(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    """What each network took from its workers: wages below the legal minimum for the hours
    worked, deductions, and wages confiscated or pooled, each a sum of planted rows.

    The ``*_recorded`` columns count only what the region's files show: unpaid wages for the
    hours the payroll file states (provider A states the hours paid, not the hours worked) and
    the transactions a cooperating bank reports. No estimate from the files can see more; the
    difference is the part that needs other evidence (interviews, time sheets, other banks)."""
    con.execute(f"""
        CREATE OR REPLACE TABLE profit AS
        WITH slips AS (
            SELECT s.network, s.gross, s.deductions, s.hours_worked,
                   CASE WHEN {provider_a("s.company_id")} THEN s.hours_paid
                        ELSE s.hours_worked END AS hours_recorded,
                   {minimum_rate_sql("p.birth")} AS minimum
            FROM payslip s JOIN person p ON p.id = s.person_id
            WHERE s.network LIKE 'N%'),
        wages AS (
            SELECT network,
                   round(sum_exact(greatest(0, minimum * hours_worked - gross)), 2) AS unpaid_wages,
                   round(sum_exact(greatest(0, minimum * hours_recorded - gross)), 2)
                   AS unpaid_wages_recorded,
                   round(sum_cents(deductions), 2) AS deductions
            FROM slips GROUP BY network),
        reported AS (
            SELECT t.*, pa.bank IN {BANK_FILES} OR coalesce(ba.bank IN {BANK_FILES}, false)
                   AS reported
            FROM txn t LEFT JOIN account pa ON pa.iban = t.payer_iban
            LEFT JOIN account ba ON ba.iban = t.payee_iban
            WHERE t.network LIKE 'N%'),
        taken AS (
            SELECT network,
                   round(sum(amount) FILTER (WHERE kind IN ('confiscation', 'pooling')), 2)
                   AS confiscated,
                   round(sum(amount) FILTER (WHERE kind IN ('confiscation', 'pooling')
                                             AND reported), 2) AS confiscated_recorded,
                   round(sum(amount) FILTER (WHERE kind = 'fee'), 2) AS fees,
                   round(sum(amount) FILTER (WHERE kind = 'fee' AND reported), 2)
                   AS fees_recorded,
                   round(sum(amount) FILTER (WHERE kind = 'profit'), 2) AS sent_abroad
            FROM reported GROUP BY network)
        SELECT w.network, coalesce(unpaid_wages, 0) AS unpaid_wages,
               coalesce(deductions, 0) AS deductions, coalesce(confiscated, 0) AS confiscated,
               coalesce(fees, 0) AS fees, coalesce(sent_abroad, 0) AS sent_abroad,
               coalesce(unpaid_wages, 0) + coalesce(deductions, 0) + coalesce(confiscated, 0)
               + coalesce(fees, 0) AS total,
               coalesce(unpaid_wages_recorded, 0) AS unpaid_wages_recorded,
               coalesce(confiscated_recorded, 0) AS confiscated_recorded,
               coalesce(fees_recorded, 0) AS fees_recorded,
               coalesce(unpaid_wages_recorded, 0) + coalesce(deductions, 0)
               + coalesce(confiscated_recorded, 0) + coalesce(fees_recorded, 0)
               AS total_recorded
        FROM network w LEFT JOIN wages USING (network) LEFT JOIN taken USING (network)
    """)
    cols = [
        "unpaid_wages",
        "deductions",
        "confiscated",
        "fees",
        "sent_abroad",
        "total",
        "unpaid_wages_recorded",
        "confiscated_recorded",
        "fees_recorded",
        "total_recorded",
    ]
    return {
        r[0]: dict(zip(cols, map(float, r[1:]), strict=True))
        for r in con.execute(f"SELECT network, {', '.join(cols)} FROM profit").fetchall()
    }
