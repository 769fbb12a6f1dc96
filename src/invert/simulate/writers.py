"""Write the region as its source systems would export it.

Each file has the layout, language, encoding and habits of the system it imitates (a business
register, the social-security employment register, two payroll providers, three banks, the
FIU, the labour inspectorate, the municipal residence register, a job-ad scraper), not
INVERT's canonical layout; the shipped mappings in ``mappings/`` read them. Every file is
written by DuckDB from ordered queries, so the same world gives byte-identical files.
"""

from __future__ import annotations

import codecs
import shutil
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import duckdb

from invert.simulate.inspections import FINDINGS

MAPPINGS = Path(__file__).parent / "mappings"
# Where the answer key's per-file parts wait (inside the output folder; removed after the run).
TRUTH_PARTS = ".simulation.records"
# The banks that answer the production orders; the share (percent) of their business
# accounts reported as statements (camt.053 for ABN AMRO, MT940 for Rabobank).
BANK_FILES = ("INGB", "ABNA", "RABO")


def provider_a(company: str) -> str:
    """SQL: whether the company (an id expression) has payroll provider A, whose payslips state
    the hours paid only; provider B states the hours worked too."""
    return f"hash({company}, 'provider') % 3 <> 0"


STATEMENT_SHARE = 15
NATIONALITY_NL = {
    "NL": "Nederlandse",
    "RO": "Roemeense",
    "BG": "Bulgaarse",
    "PL": "Poolse",
    "HU": "Hongaarse",
    "UA": "Oekraïense",
    "LT": "Litouwse",
    "PT": "Portugese",
    "IT": "Italiaanse",
}


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Characters an old Latin-1 system cannot store lose their accents (ș -> s, ł -> l)."""
    assert isinstance(exc, UnicodeEncodeError)
    bad = exc.object[exc.start : exc.end]
    plain = unicodedata.normalize("NFKD", bad.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in plain if not unicodedata.combining(c)).encode(
        "latin-1", "replace"
    ).decode("latin-1"), exc.end


codecs.register_error("invert-latin1", _latin1_fallback)


def copy_csv(
    con: duckdb.DuckDBPyConnection,
    query: str,
    path: Path,
    delimiter: str = ",",
    encoding: str = "utf-8",
    recode: Callable[[Callable[[], None]], object] | None = None,
) -> int:
    """Write a query's rows as CSV with a header; returns the number of rows.

    DuckDB writes UTF-8; another ``encoding`` is made from it afterwards, by the job given to
    ``recode`` if any (to run it beside the next query) or else at once.

    Columns named ``_person``, ``_company`` or ``_account`` are not written: they say which
    true entity each row describes and go to the answer key for entity resolution as rows
    (file, line, kind, true id), written to a part file listed in ``truth_part`` and ordered
    by line and kind, so the answer key is the parts joined in file order (no sort, and no
    table of tens of millions of rows in memory).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [r[0] for r in con.execute(f"DESCRIBE {query}").fetchall()]
    hidden = [c for c in columns if c in ("_person", "_company", "_account")]
    shown = ", ".join(f'"{c}"' for c in columns if c not in hidden)
    name = path.relative_to(path.parents[1]).as_posix()
    target = path if encoding == "utf-8" else path.with_suffix(".utf8.tmp")
    if hidden:
        # Rows are numbered once so the file and the answer key agree on line numbers.
        con.execute(f"CREATE OR REPLACE TEMP TABLE file_rows AS {query}")
        part = path.parents[1] / TRUTH_PARTS / name.replace("/", "__")
        part.parent.mkdir(parents=True, exist_ok=True)
        hidden.sort()
        kinds = ", ".join(f"'{c[1:]}'" for c in hidden)
        con.execute(f"""COPY (SELECT * FROM (
                                SELECT '{name}' AS file, rowid + 2 AS line,
                                       unnest([{kinds}]) AS kind,
                                       unnest([{", ".join(hidden)}]) AS true_id
                                FROM file_rows)
                              WHERE true_id IS NOT NULL ORDER BY line, kind)
                        TO '{part}' (FORMAT csv, HEADER false)""")
        con.execute("INSERT INTO truth_part VALUES (?, ?)", [name, str(part)])
        # (insertion order is kept: file_rows holds the rows in the query's order)
        query = f"SELECT {shown} FROM file_rows"
    written = con.execute(f"""COPY ({query}) TO '{target}'
                              (FORMAT csv, HEADER, DELIMITER '{delimiter}')""").fetchone()[0]
    if target != path:
        job = partial(_recode, target, path, encoding)
        if recode:
            recode(job)
        else:
            job()
    if hidden:
        con.execute("DROP TABLE file_rows")
    return int(written)


def _recode(source: Path, path: Path, encoding: str) -> None:
    """Write UTF-8 ``source`` to ``path`` in ``encoding`` (see ``_latin1_fallback``)."""
    with (
        open(source, encoding="utf-8") as src,
        open(path, "w", encoding=encoding, errors="invert-latin1") as dst,
    ):
        shutil.copyfileobj(src, dst, 1 << 20)
    source.unlink()


def copy_lines(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    """Write the single text column of ``query`` line by line, unquoted (XML, MT940)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"""COPY ({query}) TO '{path}'
                    (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')""")


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TABLE truth_part (file VARCHAR, path VARCHAR)")
    con.execute("""
        CREATE OR REPLACE MACRO xml(x) AS
            replace(replace(replace(coalesce(x, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;');
        -- An amount with a decimal comma. Amounts are whole cents (hours whole halves), so
        -- a cast to two decimals writes what printf('%.2f') would, at half its cost.
        CREATE OR REPLACE MACRO comma(x) AS
            replace(CAST(CAST(x AS DECIMAL(18, 2)) AS VARCHAR), '.', ',');
        -- A person's full name as a source writes it: first-last, or 'LAST, First' if swapped.
        CREATE OR REPLACE MACRO full_name(first_raw, last_raw, k, src) AS CASE
            WHEN swapped(k, src) THEN upper(spell(last_raw, k, src)) || ' '
                                      || spell(first_raw, k, src)
            ELSE spell(first_raw, k, src) || ' ' || spell(last_raw, k, src) END;
    """)
    # Names as the high-volume sources write them, spelled once per person rather than once
    # per row (a worker has twelve payslips).
    con.execute("""
        CREATE OR REPLACE TABLE name_as AS
        SELECT s.src, p.id, spell(p.first_raw, p.id, s.src) AS first,
               spell(p.last_raw, p.id, s.src) AS last, swapped(p.id, s.src) AS swapped,
               birth_known(p.id, s.src) AS birth_known, phone_text(p.phone, p.id, s.src) AS phone
        FROM person p CROSS JOIN (VALUES ('uwv'), ('loonA'), ('loonB'), ('brp'), ('bank')) s(src)
    """)
    # Who holds each account, as banks print it.
    con.execute("""
        CREATE OR REPLACE TABLE holder AS
        SELECT a.iban, a.bank, a.holder_id,
               CASE WHEN c.id IS NOT NULL THEN upper(c.name)
                    WHEN p.id IS NOT NULL THEN upper(
                        CASE WHEN u(a.iban, 'initial') < 0.5 THEN left(n.first, 1) || '. '
                             ELSE n.first || ' ' END || n.last)
                    WHEN f.id IS NOT NULL THEN upper(pick(a.holder_id, 'relative',
                        ['MARIA', 'ION', 'ELENA', 'IVAN', 'ANNA', 'PETRO', 'JAN'])
                        || ' ' || split_part(f.last_raw, '|', 1))
                    ELSE upper(substr(a.holder_id, 2)) END AS name
        FROM (SELECT *, CASE WHEN holder_kind IN ('family', 'person-abroad')
                             THEN 'P' || substr(holder_id, 2) END AS relative_id
              FROM account) a
        LEFT JOIN company c ON c.id = a.holder_id
        LEFT JOIN person p ON p.id = a.holder_id
        LEFT JOIN (SELECT id, first, last FROM name_as WHERE src = 'bank') n ON n.id = p.id
        LEFT JOIN person f ON f.id = a.relative_id
    """)


def register(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    nationality = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in NATIONALITY_NL.items())
    companies = copy_csv(
        con,
        """
        SELECT c.kvk AS kvk_nummer, c.name AS handelsnaam, c.legal_form AS rechtsvorm,
               replace(c.nace, '.', '') AS sbi_code, strftime(c.founded, '%Y%m%d') AS
               datum_oprichting, strftime(c.dissolved, '%Y%m%d') AS datum_opheffing,
               a.street || ' ' || a.number AS adres, a.postcode, a.city AS plaats,
               phone_text(c.phone, c.id, 'kvk') AS telefoon, c.email, c.vat AS btw_nummer,
               c.id AS _company
        FROM company c JOIN address a ON a.id = c.address_id ORDER BY c.kvk""",
        out / "register" / "kvk_companies.csv",
        ";",
    )
    officers = copy_csv(
        con,
        f"""
        SELECT c.kvk AS kvk_nummer, o.role AS functie,
               upper(spell(p.last_raw, p.id, 'kvk')) || ', ' || spell(p.first_raw, p.id, 'kvk')
               AS naam,
               strftime(p.birth, '%d-%m-%Y') AS geboortedatum,
               CASE p.nat {nationality} END AS nationaliteit,
               strftime(o.start, '%d-%m-%Y') AS datum_in_functie,
               strftime(o."end", '%d-%m-%Y') AS datum_uit_functie, p.id AS _person,
               c.id AS _company
        FROM officer o JOIN company c ON c.id = o.company_id JOIN person p ON p.id = o.person_id
        ORDER BY c.kvk, o.start, p.id""",
        out / "register" / "kvk_officers.csv",
        ";",
    )
    return {"register/kvk_companies.csv": companies, "register/kvk_officers.csv": officers}


def employment_register(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Social-security employment register: only declared work (a citizen number needed)."""
    n = copy_csv(
        con,
        """
        SELECT c.kvk AS werkgever_kvk, p.bsn, n.last AS achternaam, n.first AS voornamen,
               strftime(p.birth, '%Y-%m-%d') AS geboortedatum,
               strftime(e.start, '%Y-%m-%d') AS datum_aanvang,
               strftime(e."end", '%Y-%m-%d') AS datum_einde, e.contract_type AS soort_contract,
               e.hours AS uren_per_week, p.id AS _person, c.id AS _company
        FROM employment e JOIN person p ON p.id = e.person_id
        JOIN name_as n ON n.id = p.id AND n.src = 'uwv'
        JOIN company c ON c.id = e.company_id
        WHERE p.bsn IS NOT NULL
          AND (e.network IS NULL OR e.network LIKE 'L%' OR u(e.id, 'declared') < 0.7)
        ORDER BY c.kvk, p.bsn, e.start""",
        out / "employment" / "uwv_employment.csv",
        ",",
    )
    return {"employment/uwv_employment.csv": n}


def payroll(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Two payroll providers with their own layouts; each employer uses one of them."""
    with ThreadPoolExecutor(max_workers=1) as recoder:
        # Provider A's Latin-1 file is made from DuckDB's UTF-8 while provider B's is written.
        recoding: list[Future[None]] = []
        a = _payroll_a(con, out, lambda job: recoding.append(recoder.submit(job)))
        b = _payroll_b(con, out)
        for done in recoding:
            done.result()
    return {"payroll/loonadministratie_a.csv": a, "payroll/payroll_provider_b.csv": b}


def _payroll_a(
    con: duckdb.DuckDBPyConnection, out: Path, recode: Callable[[Callable[[], None]], object]
) -> int:
    return copy_csv(
        con,
        f"""
        SELECT c.kvk AS werkgever_kvk, p.bsn,
               n.first || ' ' || n.last AS naam,
               CASE WHEN n.birth_known THEN strftime(p.birth, '%d-%m-%Y') END
               AS geboortedatum,
               strftime(s.period_start, '%d-%m-%Y') AS periode_van,
               strftime(s.period_end, '%d-%m-%Y') AS periode_tot,
               strftime(s.pay_date, '%d-%m-%Y') AS betaaldatum,
               comma(s.hours_paid) AS uren, comma(s.rate) AS uurloon, comma(s.gross) AS bruto,
               comma(s.tax) AS loonheffing, comma(s.deductions) AS inhoudingen,
               s.deduction_type AS reden_inhouding, comma(s.net) AS netto,
               s.pay_method AS betaalwijze, s.iban, h.name AS rekeninghouder, p.id AS _person,
               c.id AS _company
        FROM payslip s JOIN person p ON p.id = s.person_id JOIN company c ON c.id = s.company_id
        JOIN name_as n ON n.id = p.id AND n.src = 'loonA'
        LEFT JOIN holder h ON h.iban = s.iban
        WHERE {provider_a("c.id")}
        ORDER BY c.kvk, s.period_start, p.id, s.id""",
        out / "payroll" / "loonadministratie_a.csv",
        ";",
        "latin-1",
        recode,
    )


def _payroll_b(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    return copy_csv(
        con,
        f"""
        SELECT c.name AS employer, c.vat AS employer_vat,
               'EMP-' || right(p.id, 6) AS employee_number,
               CASE WHEN n.swapped THEN n.first ELSE n.last END AS last_name,
               CASE WHEN n.swapped THEN n.last ELSE n.first END AS first_name,
               CASE WHEN n.birth_known THEN p.birth END AS date_of_birth,
               strftime(s.period_start, '%Y-%m') AS period, s.hours_paid, s.hours_worked,
               s.gross AS gross_pay, s.deductions, s.deduction_type AS deduction_reason,
               s.net AS net_pay, CASE s.pay_method WHEN 'contant' THEN 'cash' ELSE 'transfer' END
               AS payment_method, s.pay_date AS paid_on, s.iban AS paid_to_iban,
               n.phone, p.id AS _person, c.id AS _company
        FROM payslip s JOIN person p ON p.id = s.person_id JOIN company c ON c.id = s.company_id
        JOIN name_as n ON n.id = p.id AND n.src = 'loonB'
        WHERE NOT {provider_a("c.id")}
        ORDER BY c.vat, s.period_start, p.id, s.id""",
        out / "payroll" / "payroll_provider_b.csv",
        ",",
    )


def residence_register(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Municipal residence register: people with a citizen number, where they registered."""
    n = copy_csv(
        con,
        """
        SELECT p.bsn, n.last AS geslachtsnaam, n.first AS voornamen,
               strftime(p.birth, '%Y%m%d') AS geboortedatum, p.nat AS nationaliteit,
               a.street AS straat, a.number AS huisnummer, a.postcode, a.city AS woonplaats,
               strftime(greatest(p.birth, DATE '2024-06-30'
                        - CAST(u(p.id, 'moved') * 3000 AS INT)), '%Y%m%d') AS datum_inschrijving,
               p.id AS _person
        FROM person p JOIN address a ON a.id = p.address_id
        JOIN name_as n ON n.id = p.id AND n.src = 'brp'
        WHERE p.bsn IS NOT NULL
          AND u(p.id, 'registered') < CASE WHEN p.network LIKE 'N%' THEN 0.55 ELSE 0.96 END
        ORDER BY a.postcode, a.number, p.bsn""",
        out / "residence" / "brp_residents.csv",
        ";",
    )
    homes = copy_csv(
        con,
        """
        SELECT a.street || ' ' || a.number AS adres, a.postcode, a.city AS plaats,
               a.rooms AS kamers, a.floor_m2 AS oppervlakte_m2,
               c.kvk AS eigenaar_kvk, c.name AS eigenaar_bedrijf, p.bsn AS eigenaar_bsn,
               spell(p.first_raw, p.id, 'bag') || ' ' || spell(p.last_raw, p.id, 'bag')
               AS eigenaar_persoon, p.id AS _person, c.id AS _company
        FROM address a LEFT JOIN company c ON c.id = a.owner_id
        LEFT JOIN person p ON p.id = a.owner_id
        WHERE a.kind = 'home' AND a.owner_id IS NOT NULL
        ORDER BY a.postcode, a.number, a.id""",
        out / "residence" / "dwellings.csv",
        ";",
    )
    return {"residence/brp_residents.csv": n, "residence/dwellings.csv": homes}


def inspections(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    codes = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in FINDINGS.items())
    n = copy_csv(
        con,
        f"""
        SELECT i.id AS inspectie_nr, strftime(i.date, '%d-%m-%Y') AS datum, c.kvk AS kvk_nummer,
               c.name AS bedrijf, a.street || ' ' || a.number || ', ' || a.city AS locatie,
               i.observed AS aangetroffen, i.undeclared AS niet_aangemeld,
               array_to_string(list_transform(i.findings, x -> CASE x {codes} END), '|')
               AS bevindingen, c.id AS _company
        FROM inspection i JOIN company c ON c.id = i.company_id
        JOIN address a ON a.id = i.address_id
        ORDER BY i.date, i.id""",
        out / "inspections" / "inspections.csv",
        ",",
    )
    return {"inspections/inspections.csv": n}


def exported_transactions(con: duckdb.DuckDBPyConnection) -> None:
    """Which export reports each transaction the cooperating banks (ING, ABN AMRO, Rabobank)
    hold. Business accounts with statement reporting (a fixed share, by account number) come as
    camt.053 (ABN AMRO) or MT940 (Rabobank) statements; everything else the three banks hold is
    in one transaction extract. Transactions between other banks are not seen."""
    banks = BANK_FILES
    exported = f"""
        SELECT t.*, pa.bank AS payer_bank, ba.bank AS payee_bank,
               pa.name AS payer_name, ba.name AS payee_name,
               coalesce(pa.statement_bank, ba.statement_bank, 'CSV') AS reporter,
               CASE WHEN pa.statement_bank IS NOT NULL THEN t.payer_iban ELSE t.payee_iban END
               AS statement_iban
        FROM {{txn}} t LEFT JOIN party pa ON pa.iban = t.payer_iban
        LEFT JOIN party ba ON ba.iban = t.payee_iban
        WHERE pa.bank IN {banks} OR ba.bank IN {banks}"""
    in_statements = """(
        SELECT * FROM txn WHERE payer_iban IN (SELECT iban FROM statement_account)
                             OR payee_iban IN (SELECT iban FROM statement_account))"""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE statement_account AS
        SELECT iban, bank FROM account
        WHERE holder_kind = 'company' AND bank IN ('ABNA', 'RABO')
          AND hash(iban, 'statements') % 100 < {STATEMENT_SHARE};
        -- Each account's bank, printed holder name and statement bank, joined once per side.
        CREATE OR REPLACE TEMP TABLE party AS
        SELECT h.iban, h.bank, h.name, s.bank AS statement_bank
        FROM holder h LEFT JOIN statement_account s ON s.iban = h.iban;
        -- A view: the bank extract streams from it once.
        CREATE OR REPLACE TEMP VIEW exported AS {exported.format(txn="txn")};
        -- The statements' entries, a few percent of it, kept apart (found before the joins).
        CREATE OR REPLACE TEMP TABLE statement_entry AS {exported.format(txn=in_statements)};
    """)


def bank_csv(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    n = copy_csv(
        con,
        """
        SELECT id AS transactie_id, strftime(date, '%d-%m-%Y') AS boekdatum,
               comma(amount) AS bedrag, 'EUR' AS valuta,
               payer_iban AS rekening_debet, payer_name AS naam_debet,
               payee_iban AS rekening_credit, payee_name AS naam_credit,
               purpose AS omschrijving,
               CASE channel WHEN 'atm' THEN 'geldautomaat' WHEN 'card' THEN 'betaalautomaat'
                            ELSE 'overboeking' END AS kanaal
        FROM exported WHERE reporter = 'CSV' ORDER BY date, id""",
        out / "bank" / "bank_transactions.csv",
        ";",
    )
    return {"bank/bank_transactions.csv": n}


def _statement_entries(bank: str) -> str:
    """The CTE ``e``: one bank's statement entries, numbered per account and month, with the
    statement id and whether the statement's account pays (debit) or receives."""
    return f"""
        WITH e AS (
            SELECT *, statement_iban || strftime(date, '%Y%m') AS stmt,
                   statement_iban = payer_iban AS debit,
                   row_number() OVER (PARTITION BY statement_iban, date_trunc('month', date)
                                      ORDER BY date, id) AS seq
            FROM statement_entry WHERE reporter = '{bank}'),"""


def camt053(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """ABN statements as one camt.053.001.08 document: one statement per account and month."""
    copy_lines(
        con,
        _statement_entries("ABNA")
        + """
        lines AS (
            SELECT '' AS stmt, 0 AS part, 0 AS seq,
                   '<?xml version="1.0" encoding="UTF-8"?>' || chr(10)
                   || '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
                   || chr(10) || '  <BkToCstmrStmt>' || chr(10) || '    <GrpHdr><MsgId>'
                   || 'ABNA-PRODUCTION-ORDER-2024</MsgId><CreDtTm>2025-01-15T09:00:00</CreDtTm>'
                   || '</GrpHdr>' AS line
            UNION ALL
            SELECT stmt, 1, 0, '    <Stmt>' || chr(10) || '      <Id>' || stmt || '</Id>'
                   || chr(10) || '      <CreDtTm>' || strftime(last_day(any_value(date)),
                   '%Y-%m-%d') || 'T23:59:59</CreDtTm>' || chr(10)
                   || '      <Acct><Id><IBAN>' || any_value(statement_iban)
                   || '</IBAN></Id><Ccy>EUR</Ccy><Ownr><Nm>'
                   || xml(any_value(CASE WHEN debit THEN payer_name ELSE payee_name END))
                   || '</Nm></Ownr><Svcr><FinInstnId><BICFI>ABNANL2A</BICFI></FinInstnId>'
                   || '</Svcr></Acct>'
            FROM e GROUP BY stmt
            UNION ALL
            SELECT stmt, 2, seq,
                   '      <Ntry>' || chr(10)
                   || '        <NtryRef>' || seq || '</NtryRef>' || chr(10)
                   || '        <Amt Ccy="EUR">' || printf('%.2f', amount) || '</Amt>' || chr(10)
                   || '        <CdtDbtInd>' || CASE WHEN debit THEN 'DBIT' ELSE 'CRDT' END
                   || '</CdtDbtInd>' || chr(10) || '        <Sts><Cd>BOOK</Cd></Sts>' || chr(10)
                   || '        <BookgDt><Dt>' || strftime(date, '%Y-%m-%d') || '</Dt></BookgDt>'
                   || chr(10) || '        <ValDt><Dt>' || strftime(date, '%Y-%m-%d')
                   || '</Dt></ValDt>' || chr(10)
                   || '        <AcctSvcrRef>' || id || '</AcctSvcrRef>' || chr(10)
                   || '        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>'
                   || CASE channel WHEN 'atm' THEN 'CCRD</Cd><SubFmlyCd>CWDL'
                                   WHEN 'card' THEN 'CCRD</Cd><SubFmlyCd>POSD'
                                   WHEN 'wire' THEN CASE WHEN debit THEN 'ICDT' ELSE 'RCDT' END
                                                    || '</Cd><SubFmlyCd>ESCT' END
                   || '</SubFmlyCd></Fmly></Domn></BkTxCd>' || chr(10)
                   || CASE WHEN channel = 'atm' THEN '        <AddtlNtryInf>' || xml(purpose)
                                                     || '</AddtlNtryInf>' || chr(10)
                      ELSE '        <NtryDtls><TxDtls>' || chr(10)
                           || '          <Refs><EndToEndId>' || id || '</EndToEndId></Refs>'
                           || chr(10) || '          <RltdPties>'
                           || CASE WHEN debit
                                   THEN '<Cdtr><Pty><Nm>' || xml(payee_name)
                                        || '</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>'
                                        || coalesce(payee_iban, '') || '</IBAN></Id></CdtrAcct>'
                                   ELSE '<Dbtr><Pty><Nm>' || xml(payer_name)
                                        || '</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>'
                                        || payer_iban || '</IBAN></Id></DbtrAcct>' END
                           || '</RltdPties>' || chr(10)
                           || '          <RmtInf><Ustrd>' || xml(purpose) || '</Ustrd></RmtInf>'
                           || chr(10) || '        </TxDtls></NtryDtls>' || chr(10) END
                   || '      </Ntry>'
            FROM e
            UNION ALL
            SELECT stmt, 3, 0, '    </Stmt>' FROM e GROUP BY stmt
            UNION ALL
            SELECT chr(127), 0, 0, '  </BkToCstmrStmt>' || chr(10) || '</Document>')
        SELECT line FROM lines ORDER BY stmt, part, seq""",
        out / "bank" / "abn_statements.camt053.xml",
    )
    n = con.execute("SELECT count(*) FROM statement_entry WHERE reporter = 'ABNA'").fetchone()[0]
    return {"bank/abn_statements.camt053.xml": n}


def mt940(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Rabobank MT940: one statement per account and month, structured :86: information."""
    copy_lines(
        con,
        _statement_entries("RABO")
        + """
        balances AS (
            SELECT stmt, any_value(statement_iban) AS iban, min(date) AS first_day,
                   round(500 + 20000 * u(any_value(statement_iban), 'bal'), 2) AS opening,
                   sum(CASE WHEN debit THEN -amount ELSE amount END) AS movement
            FROM e GROUP BY stmt),
        lines AS (
            SELECT stmt, 0 AS part, 0 AS seq,
                   ':20:' || right(stmt, 6) || 'RABO' || chr(10) || ':25:' || iban || chr(10)
                   || ':28C:' || right(stmt, 2) || '/1' || chr(10) || ':60F:C'
                   || strftime(first_day, '%y%m%d') || 'EUR' || comma(opening) AS line
            FROM balances
            UNION ALL
            SELECT stmt, 1, seq,
                   ':61:' || strftime(date, '%y%m%d') || strftime(date, '%m%d')
                   || CASE WHEN debit THEN 'D' ELSE 'C' END || comma(amount)
                   || CASE channel WHEN 'atm' THEN 'NCMI' ELSE 'NTRF' END
                   || left(id, 16) || '//' || right(id, 16) || chr(10) || ':86:'
                   || CASE WHEN channel = 'atm' THEN '/REMI/' || purpose
                      ELSE '/EREF/' || left(id, 35) || CASE WHEN debit
                           THEN '/BENM//NAME/' || coalesce(payee_name, '') || '/IBAN/'
                                || coalesce(payee_iban, '')
                           ELSE '/ORDP//NAME/' || coalesce(payer_name, '') || '/IBAN/'
                                || payer_iban END
                           || '/REMI/' || purpose END
            FROM e
            UNION ALL
            SELECT stmt, 2, 0, ':62F:' || CASE WHEN opening + movement < 0 THEN 'D' ELSE 'C' END
                   || strftime(last_day(first_day), '%y%m%d') || 'EUR'
                   || comma(abs(opening + movement)) || chr(10) || '-'
            FROM balances)
        SELECT line FROM lines ORDER BY stmt, part, seq""",
        out / "bank" / "rabo_statements.mt940.sta",
    )
    n = con.execute("SELECT count(*) FROM statement_entry WHERE reporter = 'RABO'").fetchone()[0]
    return {"bank/rabo_statements.mt940.sta": n}


def ads(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    path = out / "ads" / "job_ads.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        COPY (SELECT id, platform, url, strftime(posted_at, '%Y-%m-%dT%H:%M:%S') AS posted_at,
                     language, title, body, location, country, pay_amount, pay_period, currency,
                     employer_name, phone, email, handle
              FROM ad ORDER BY posted_at, id)
        TO '{path}' (FORMAT json)""")
    return {"ads/job_ads.jsonl": con.execute("SELECT count(*) FROM ad").fetchone()[0]}


def mappings(out: Path, sources: list[tuple[str, str | None]]) -> None:
    """Copy the shipped mappings next to the data and list every file in a ``sources.yml``
    manifest, so ``invert ingest CASE OUT`` reads the whole region."""
    target = out / "mappings"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(MAPPINGS.glob("*.yml")):
        shutil.copyfile(path, target / path.name)
    lines = ["# The files of this simulated region and the mapping that reads each.", "sources:"]
    for name, mapping in sources:
        lines.append(f"  - file: {name}")
        if mapping:
            lines.append(f"    mapping: mappings/{mapping}")
    lines.append("  - glob: fiu/*.xml")
    (out / "sources.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def goaml(con: duckdb.DuckDBPyConnection, out: Path, seed: int) -> dict[str, int]:
    """Suspicious-transaction reports in goAML XML: one per account a bank found suspicious.

    Banks report accounts where others' wages pool and leave in cash (the planted collectors
    and controllers they hold) and, as banks do, some ordinary accounts with heavy cash use.
    """
    # The banks' own transactions (the extract's, read from txn and party: a subject's bank
    # is one of the cooperating banks, so every transaction touching it is in the extract).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE goaml_subject AS
        WITH pooled AS (
            SELECT t.payee_iban AS iban, count(DISTINCT t.payer_iban || t.purpose) AS wages
            FROM txn t JOIN party b ON b.iban = t.payee_iban
            WHERE t.kind = 'wage' AND b.bank IN ('INGB', 'ABNA')
            GROUP BY 1 HAVING count(DISTINCT right(t.purpose, 9)) >= 3),
        cashy AS (
            SELECT t.payer_iban AS iban FROM txn t JOIN party a ON a.iban = t.payer_iban
            WHERE t.channel = 'atm' AND t.network IS NULL AND a.bank IN ('INGB', 'ABNA')
            GROUP BY 1 ORDER BY sum(t.amount) DESC, 1
            LIMIT (SELECT greatest(1, count(*) // 2000) FROM person))
        SELECT row_number() OVER (ORDER BY iban) AS k, iban, a.bank, a.holder_id
        FROM (SELECT iban FROM pooled UNION SELECT iban FROM cashy)
        JOIN account a USING (iban)
        WHERE hash(iban, {seed}) % 4 <> 0  -- not every bank files
    """)
    subjects = con.execute("""
        SELECT s.k, s.iban, s.bank, p.id IS NOT NULL, spell(p.first_raw, p.id, 'fiu'),
               spell(p.last_raw, p.id, 'fiu'), p.birth, p.nat, p.phone
        FROM goaml_subject s LEFT JOIN person p ON p.id = s.holder_id ORDER BY s.k""").fetchall()
    # Each subject's first 40 transactions, out and in, found with two equi-joins (a join on
    # 'payer = iban OR payee = iban' would compare every transaction with every subject).
    reported: dict[int, list[tuple]] = {k: [] for k, *_ in subjects}
    for k, *tx in con.execute("""
            WITH hit AS (
                SELECT s.k, s.iban AS subject, t.* FROM goaml_subject s
                JOIN txn t ON t.payer_iban = s.iban
                UNION ALL
                SELECT s.k, s.iban, t.* FROM goaml_subject s
                JOIN txn t ON t.payee_iban = s.iban AND t.payer_iban IS DISTINCT FROM s.iban),
            first AS (
                SELECT * FROM hit
                QUALIFY row_number() OVER (PARTITION BY k ORDER BY date, id) <= 40)
            SELECT f.k, f.id, f.date, f.amount, f.purpose, f.channel, f.payer_iban,
                   pa.name AS payer_name, f.payee_iban, ba.name AS payee_name,
                   f.payer_iban = f.subject AS outgoing
            FROM first f LEFT JOIN party pa ON pa.iban = f.payer_iban
            LEFT JOIN party ba ON ba.iban = f.payee_iban
            ORDER BY f.k, f.date, f.id""").fetchall():
        reported[k].append(tuple(tx))
    folder = out / "fiu"
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    for k, iban, bank, known, *person in subjects:
        txs = reported[k]
        xml = _goaml_report(k, bank, iban, tuple(person) if known else None, txs)
        (folder / f"str_{bank.lower()}_{k:04d}.xml").write_text(xml, encoding="utf-8")
        rows += len(txs)
    return {"fiu/*.xml": rows}


def _esc(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _goaml_report(k: int, bank: str, iban: str, person: tuple | None, txs: list[tuple]) -> str:
    bic = {"INGB": "INGBNL2A", "ABNA": "ABNANL2A"}[bank]
    signatory = ""
    if person:
        first, last, birth, nat, phone = person
        signatory = (
            f"<signatory><is_primary>true</is_primary><t_person>"
            f"<first_name>{_esc(first)}</first_name><last_name>{_esc(last)}</last_name>"
            f"<birthdate>{birth}T00:00:00</birthdate><nationality1>{nat}</nationality1>"
            f"<phones><phone><tph_contact_type>M</tph_contact_type>"
            f"<tph_communication_type>M</tph_communication_type>"
            f"<tph_number>{_esc(phone)}</tph_number></phone></phones>"
            f"</t_person></signatory>"
        )
    parts = []
    for tx_id, date, amount, purpose, channel, payer, payer_name, payee, payee_name, out in txs:
        mode = {"atm": "A", "card": "C"}.get(channel, "B")

        def side(prefix: str, acct: str | None, name: str | None, mine: bool) -> str:
            tag = f"t_{prefix}_my_client" if mine else f"t_{prefix}"
            if acct is None:
                return (
                    f"<{tag}><{prefix}_funds_code>K</{prefix}_funds_code>"
                    f"<{prefix}_country>NL</{prefix}_country></{tag}>"
                )
            sig = signatory if mine else ""
            swift = f"<swift>{bic}</swift>" if mine else ""
            return (
                f"<{tag}><{prefix}_funds_code>K</{prefix}_funds_code><{prefix}_account>"
                f"{swift}<iban>{acct}</iban><account_name>{_esc(name)}</account_name>{sig}"
                f"</{prefix}_account><{prefix}_country>{acct[:2]}</{prefix}_country></{tag}>"
            )

        parts.append(
            f"  <transaction>\n    <transactionnumber>{tx_id}</transactionnumber>\n"
            f"    <transaction_description>{_esc(purpose)}</transaction_description>\n"
            f"    <date_transaction>{date}T00:00:00</date_transaction>\n"
            f"    <transmode_code>{mode}</transmode_code>\n"
            f"    <amount_local>{amount:.2f}</amount_local>\n"
            f"    {side('from', payer, payer_name, out)}\n"
            f"    {side('to', payee, payee_name, not out)}\n  </transaction>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<report>\n'
        f"  <rentity_id>{1000 + sum(map(ord, bank))}</rentity_id>\n"
        "  <submission_code>E</submission_code>\n  <report_code>STR</report_code>\n"
        f"  <entity_reference>{bank}-STR-2024-{k:04d}</entity_reference>\n"
        "  <submission_date>2025-01-20T10:00:00</submission_date>\n"
        "  <currency_code_local>EUR</currency_code_local>\n"
        f"  <reason>Unusual activity on account {iban}: incoming salaries and outgoing cash "
        "that do not fit the customer profile.</reason>\n"
        "  <action>Account under review.</action>\n" + "\n".join(parts) + "\n</report>\n"
    )
