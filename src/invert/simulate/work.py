"""Employment spells and monthly payroll.

Outside the planted schemes every hourly rate is at or above the statutory minimum for the
worker's age, hours are within the working-time law and deductions are lawful; schemes change
workers' pay through ``pay_rule`` rows, never by editing payroll afterwards.
"""

from __future__ import annotations

import duckdb

from invert.simulate.config import Settings

EMPLOYMENT_COLUMNS = """
    id VARCHAR PRIMARY KEY, person_id VARCHAR, company_id VARCHAR, start DATE, "end" DATE,
    contract_type VARCHAR, hours DOUBLE, rate DECIMAL(8, 2), occupation VARCHAR, network VARCHAR"""

# How schemes change a worker's pay: a factor on the lawful rate, unpaid extra hours per week,
# monthly deductions, and whose account the wage is paid into.
PAY_RULE_COLUMNS = """
    person_id VARCHAR PRIMARY KEY, rate_factor DOUBLE, extra_hours DOUBLE,
    deduction_type VARCHAR, deduction DOUBLE, pay_to VARCHAR, cash BOOLEAN"""

OCCUPATIONS = {
    "A01": ["oogstmedewerker", "kasmedewerker", "teeltmedewerker", "inpakker"],
    "C10": ["productiemedewerker", "uitsnijder", "inpakker", "orderpicker"],
    "F4": ["timmerman", "stukadoor", "bouwvakker", "opperman"],
    "G4": ["verkoopmedewerker", "orderpicker", "chauffeur", "magazijnmedewerker"],
    "H4": ["chauffeur", "heftruckchauffeur", "planner"],
    "H5": ["orderpicker", "magazijnmedewerker", "heftruckchauffeur"],
    "I5": ["kok", "afwasser", "bediening", "housekeeping"],
    "N7": ["uitzendkracht", "productiemedewerker", "orderpicker"],
    "N8": ["schoonmaker", "glazenwasser"],
    "S9": ["nagelstyliste", "kapper", "schoonheidsspecialiste"],
}


def _occupation_sql(nace: str, key: str) -> str:
    cases = " ".join(
        f"WHEN {nace} LIKE '{prefix}%' THEN pick({key}, 'occupation', {words!r})"
        for prefix, words in OCCUPATIONS.items()
    )
    return f"CASE {cases} ELSE pick({key}, 'occupation', ['medewerker', 'administratief medewerker', 'adviseur']) END"  # noqa: E501


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE OR REPLACE TABLE employment ({EMPLOYMENT_COLUMNS})")
    con.execute(f"CREATE OR REPLACE TABLE pay_rule ({PAY_RULE_COLUMNS})")


def minimum_rate_sql(birth: str, on: str = "DATE '2024-07-01'") -> str:
    """The legal minimum hourly wage for someone born on ``birth`` (youth rates below 21)."""
    age = f"least(21, greatest(15, date_diff('year', {birth}, {on})))"
    return f"(SELECT rate FROM minimum_wage WHERE age = {age})"


def employment(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """One spell per ordinary worker at an active firm, chosen in proportion to its size."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE employer_pool AS
        SELECT id, nace, headcount,
               sum(headcount) OVER (ORDER BY id) - headcount AS lo,
               sum(headcount) OVER () AS total
        FROM company
        WHERE network IS NULL AND founded < DATE '2024-10-01'
          AND (dissolved IS NULL OR dissolved > DATE '2024-03-01')
    """)
    con.execute(f"""
        INSERT INTO employment
        WITH w AS (
            SELECT p.id, p.birth, u(p.id, 'employer') * (SELECT any_value(total) FROM employer_pool)
                   AS x,
                   date_diff('year', p.birth, DATE '2024-07-01') AS age
            FROM person p WHERE p.role = 'worker' AND p.network IS NULL),
        chosen AS (
            SELECT w.*, e.id AS company_id, e.nace, c.founded, c.dissolved
            FROM w ASOF JOIN employer_pool e ON w.x >= e.lo
            JOIN company c ON c.id = e.id),
        spell AS (
            SELECT *, greatest(founded,
                       CASE WHEN u(id, 'start') < 0.7
                            THEN DATE '2024-01-01' - CAST(365 * 6 * u(id, 'tenure') AS INT)
                            ELSE DATE '2024-01-01' + CAST(300 * u(id, 'tenure') AS INT) END,
                       (birth + INTERVAL 15 YEAR)::DATE)::DATE AS start,
                   (SELECT seasonal FROM sector WHERE sector.nace = chosen.nace) AS seasonal
            FROM chosen)
        SELECT 'E' || substr(id, 2), id, company_id, start::DATE,
               least(dissolved, CASE
                   WHEN seasonal AND u(id, 'season') < 0.5
                       THEN start + CAST(90 + 120 * u(id, 'len') AS INT)
                   WHEN u(id, 'ends') < 0.15
                       THEN DATE '2024-01-01' + CAST(365 * u(id, 'len') AS INT) END)::DATE,
               CASE WHEN nace LIKE 'N78%' THEN 'uitzend'
                    WHEN seasonal AND u(id, 'season') < 0.5 THEN 'seizoen'
                    WHEN u(id, 'ctype') < 0.6 THEN 'onbepaalde tijd' ELSE 'bepaalde tijd' END,
               CASE WHEN age < 18 THEN randint(id, 'hours', 6, 12)
                    WHEN u(id, 'fulltime') < 0.65 THEN pick(id, 'ft', [36, 38, 40])
                    ELSE randint(id, 'hours', 12, 32) END,
               round({minimum_rate_sql("birth")}
                     * greatest(1.0, (SELECT pay FROM sector WHERE sector.nace = spell.nace)
                                      * exp(0.12 * gauss(id, 'pay'))) + 0.01, 2),
               {_occupation_sql("nace", "id")},
               NULL
        FROM spell
        WHERE least(dissolved, DATE '2024-12-31') >= start::DATE
    """)


def payroll(con: duckdb.DuckDBPyConnection) -> None:
    """Monthly payslips for every month an employment runs in 2024, changed by pay rules."""
    con.execute("""
        CREATE OR REPLACE TABLE payslip AS
        WITH months AS (
            SELECT (DATE '2024-01-01' + INTERVAL (m) MONTH)::DATE AS month_start
            FROM range(12) t(m)),
        slips AS (
            SELECT e.*, m.month_start, last_day(m.month_start) AS month_end,
                   coalesce(r.rate_factor, 1.0) AS rate_factor,
                   coalesce(r.extra_hours, 0) AS extra_hours, r.deduction_type,
                   coalesce(r.deduction, 0) AS deduction, r.pay_to, coalesce(r.cash, false)
                   AS cash
            FROM employment e CROSS JOIN months m
            LEFT JOIN pay_rule r ON r.person_id = e.person_id
            WHERE e.start <= last_day(m.month_start)
              AND (e."end" IS NULL OR e."end" >= m.month_start)),
        hours AS (
            SELECT *,
                   -- days worked in the month, for spells starting or ending in it
                   (least(coalesce("end", month_end), month_end)
                    - greatest(start, month_start) + 1) / (month_end - month_start + 1) AS part,
                   id || strftime(month_start, '%Y%m') AS slip_id,
                   CASE WHEN u(id || strftime(month_start, '%Y%m'), 'ot') < 0.15
                        THEN randint(id || strftime(month_start, '%Y%m'), 'oth', 1, 4)
                        ELSE 0 END AS overtime
            FROM slips)
        SELECT slip_id AS id, id AS employment_id, person_id, company_id,
               greatest(start, month_start) AS period_start,
               least(coalesce("end", month_end), month_end) AS period_end,
               month_end + CAST(randint(company_id, 'payday', 1, 6) AS INT) AS pay_date,
               -- Ordinary overtime is paid; a scheme's extra hours are worked but not paid.
               round((hours + overtime) * 52 / 12 * part * 2) / 2 AS hours_paid,
               round((hours + overtime + extra_hours) * 52 / 12 * part * 2) / 2 AS hours_worked,
               round(rate * rate_factor * round((hours + overtime) * 52 / 12 * part * 2) / 2, 2)
               AS gross,
               deduction_type, round(deduction * part, 2) AS deductions,
               CAST(rate * rate_factor AS DECIMAL(8, 2)) AS rate,
               CASE WHEN cash THEN 'contant' ELSE 'overboeking' END AS pay_method,
               coalesce(pa.iban, wa.iban) AS iban, hours.network
        FROM hours LEFT JOIN account pa ON pa.holder_id = hours.pay_to
        LEFT JOIN account wa ON wa.holder_id = hours.person_id
        WHERE part > 0
    """)
    # Wage tax and social contributions withheld (a simplified progressive rate), then net pay.
    con.execute("""
        ALTER TABLE payslip ADD COLUMN tax DECIMAL(10, 2);
        ALTER TABLE payslip ADD COLUMN net DECIMAL(10, 2);
        UPDATE payslip SET tax = round(gross * least(0.37, 0.06 + 0.22 * gross / 4000), 2);
        UPDATE payslip SET net = greatest(0, gross - tax - deductions);
    """)
