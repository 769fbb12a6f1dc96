"""Entity resolution on a real workspace: two ingested person sources, one with a citizen
number and one without, where names come in other orders, scripts and spellings."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from invert.errors import InvertError
from invert.ingest.load import ingest
from invert.resolve import resolve
from invert.resolve.explain import explain_pair
from invert.resolve.judgements import judge
from invert.workspace import Workspace

FIRST = [
    "Ion",
    "Maria",
    "Andrei",
    "Elena",
    "Piotr",
    "Anna",
    "Jan",
    "Ewa",
    "Mihai",
    "Ioana",
    "Tomasz",
    "Katarzyna",
    "Sem",
    "Noor",
    "Lucas",
    "Emma",
    "Georgi",
    "Desislava",
]
LAST = [
    "Popescu",
    "Ionescu",
    "Kowalski",
    "Nowak",
    "de Vries",
    "Jansen",
    "Dimitrov",
    "Petrova",
    "Constantin",
    "Wisniewski",
    "Bakker",
    "Visser",
    "Georgiev",
    "Stan",
    "Rusu",
    "Lungu",
]
REGISTER_MAP = """
name: register
format: csv
read: {delimiter: ";"}
namespace: register
entities:
  person:
    type: Person
    keys: [bsn]
    properties: {name: naam, birthDate: geboren, taxNumber: bsn, phone: telefoon}
"""
PAYROLL_MAP = """
name: payroll
format: csv
read: {delimiter: ";"}
namespace: payroll
entities:
  person:
    type: Person
    keys: [nummer]
    properties: {name: naam, birthDate: geboren, phone: telefoon}
"""
SPECIAL = [  # register name, payroll name, birth date
    ("POPESCU Ionel", "Ionel Popescu", "1994-03-02"),  # order swap
    ("Ivan Petrov", "Иван Петров", "1988-11-20"),  # Cyrillic
    ("Stoyan Dimitrov", "Стоян Димитров", "1979-01-05"),
    ("Katarzyna Wiśniewska", "Katarzyna Wisniewska", "1990-06-17"),  # diacritics
]


def _people(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """(bsn, register name, payroll name, birth date, phone) for 400 people."""
    out = []
    for n in range(400):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        payroll = f"{last}, {first}" if n % 3 == 0 else f"{first} {last}"
        if n % 7 == 0:  # a typing error in the payroll file
            i = rng.randrange(1, len(payroll) - 1)
            payroll = payroll[:i] + payroll[i + 1 :]
        birth = f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append((f"{100000000 + n}", f"{first} {last}", payroll, birth, f"+3161{n:07d}"))
    for n, (reg, pay, birth) in enumerate(SPECIAL):
        out.append((f"{200000000 + n}", reg, pay, birth, f"+3162{n:07d}"))
    return out


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("resolve")
    people = _people(random.Random(7))
    (root / "register.yml").write_text(REGISTER_MAP)
    (root / "payroll.yml").write_text(PAYROLL_MAP)
    register = ["bsn;naam;geboren;telefoon"] + [f"{b};{r};{d};" for b, r, _, d, _ in people]
    payroll = ["nummer;naam;geboren;telefoon"] + [
        f"E{n};{p};{d};{ph}" for n, (_, _, p, d, ph) in enumerate(people)
    ]
    # The trap: one recruiter's phone given for six unrelated workers of the payroll file.
    payroll += [
        f"T{n};{f} {la};19{70 + n}-0{n + 1}-1{n};+40 711 000 000"
        for n, (f, la) in enumerate(zip(FIRST[:6], LAST[6:12], strict=True))
    ]
    (root / "register.csv").write_text("\n".join(register) + "\n", encoding="utf-8")
    (root / "payroll.csv").write_text("\n".join(payroll) + "\n", encoding="utf-8")
    ws = Workspace.init(root / "case")
    ingest(ws, root / "register.csv", root / "register.yml")
    ingest(ws, root / "payroll.csv", root / "payroll.yml")
    resolve(ws)
    return ws


def _entity(ws: Workspace, source: str, name: str) -> str:
    with ws.connect(read_only=True) as con:
        return con.execute(
            """SELECT e.entity_id FROM person p JOIN entity e ON e.record_id = p.id
               WHERE p.source_id = ? AND p.name = ?""",
            [source, name],
        ).fetchone()[0]


def _record(ws: Workspace, source: str, name: str) -> str:
    with ws.connect(read_only=True) as con:
        return con.execute(
            "SELECT id FROM person WHERE source_id = ? AND name = ?", [source, name]
        ).fetchone()[0]


@pytest.mark.parametrize(("register", "payroll", "_birth"), SPECIAL)
def test_order_swaps_scripts_and_diacritics_resolve_to_one_person(case, register, payroll, _birth):
    assert _entity(case, "register.csv", register) == _entity(case, "payroll.csv", payroll)


def test_pairwise_precision_and_recall_on_the_hand_made_population(case):
    with case.connect(read_only=True) as con:
        # The citizen number of the register row is the truth for the payroll row of index n.
        tp, predicted, true = con.execute("""
            WITH truth AS (
                SELECT p.id, CASE WHEN p.source_id = 'register.csv' THEN p.source_row
                                  ELSE p.source_row END AS person
                FROM person p WHERE p.name NOT LIKE '% %' OR true),
            j AS (SELECT e.entity_id, t.person FROM truth t JOIN entity e ON e.record_id = t.id
                  WHERE e.kind = 'person')
            SELECT (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j
                                                    GROUP BY entity_id, person)),
                   (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j
                                                    GROUP BY entity_id)),
                   (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM j
                                                    GROUP BY person))""").fetchone()
    assert true == len(_people(random.Random(7)))  # one register + one payroll row each
    assert tp / predicted >= 0.99
    assert tp / true >= 0.95


def test_a_phone_shared_by_many_workers_merges_nobody_and_is_reported(case):
    with case.connect(read_only=True) as con:
        entities = con.execute("""
            SELECT count(DISTINCT e.entity_id) FROM person p
            JOIN entity e ON e.record_id = p.id WHERE p.phone = '+40711000000'""").fetchone()[0]
        shared = con.execute(
            "SELECT kind, people FROM shared_identifier WHERE value = '+40711000000'"
        ).fetchone()
    assert entities == 6
    assert shared == ("phone", 6)


def test_explain_gives_the_weight_of_each_field(case):
    a, b = (
        _record(case, "register.csv", "POPESCU Ionel"),
        _record(case, "payroll.csv", "Ionel Popescu"),
    )
    with case.connect() as con:
        e = explain_pair(con, a, b)
    fields = {f.field: f for f in e.fields}
    assert e.same_entity and e.match_probability >= 0.9
    assert fields["name_key"].level.lower().startswith("exact") and fields["name_key"].weight > 0
    assert fields["birth"].weight > 0
    assert e.match_weight == pytest.approx(e.prior + sum(f.weight for f in e.fields), abs=1e-6)


def test_judgements_win_over_scores_and_ids_stay_stable(case, tmp_path):
    a, b = _record(case, "register.csv", "Ivan Petrov"), _record(case, "payroll.csv", "Иван Петров")
    x = _record(case, "register.csv", "Stoyan Dimitrov")
    with case.connect(read_only=True) as con:
        before = dict(con.execute("SELECT record_id, entity_id FROM entity").fetchall())
    with case.connect() as con:
        judge(con, a, b, "different", "analyst1", "two men, same name and birthday")
        judge(con, a, x, "same", "analyst1")
        with pytest.raises(InvertError, match="same, different, unsure"):
            judge(con, a, x, "maybe", "analyst1")
    resolve(case)
    with case.connect(read_only=True) as con:
        after = dict(con.execute("SELECT record_id, entity_id FROM entity").fetchall())
        who = con.execute("SELECT DISTINCT by_user FROM resolve_judgement").fetchall()
    assert after[a] != after[b]
    assert after[a] == after[x]
    assert who == [("analyst1",)]
    touched = {a, b, x, _record(case, "payroll.csv", "Стоян Димитров")}
    unchanged = [r for r in before if r not in touched and after[r] == before[r]]
    assert len(unchanged) == len(before) - len(touched)


def test_new_records_join_existing_entities_without_renaming_the_others(case, tmp_path):
    with case.connect(read_only=True) as con:
        before = dict(con.execute("SELECT record_id, entity_id FROM entity").fetchall())
    (tmp_path / "late.csv").write_text(
        "nummer;naam;geboren;telefoon\nL1;Popescu Ionel;1994-03-02;\nL2;Zoltan Kiss;1971-02-03;\n"
    )
    ingest(case, tmp_path / "late.csv", Path(case.path.parent / "payroll.yml"))
    resolve(case)
    with case.connect(read_only=True) as con:
        after = dict(con.execute("SELECT record_id, entity_id FROM entity").fetchall())
    assert all(after[r] == e for r, e in before.items())
    assert _entity(case, "late.csv", "Popescu Ionel") == _entity(
        case, "register.csv", "POPESCU Ionel"
    )
    assert _entity(case, "late.csv", "Zoltan Kiss") == _record(case, "late.csv", "Zoltan Kiss")


def test_the_run_is_recorded_and_models_are_kept(case):
    with duckdb.connect(str(case.db_path), read_only=True) as con:
        runs = con.execute("SELECT count(*) FROM runs WHERE stage = 'resolve'").fetchone()[0]
        kinds = {r[0] for r in con.execute("SELECT kind FROM resolve_model").fetchall()}
        # Splink's working tables (comparison vectors with names and birth dates) are gone.
        leftovers = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_\\_splink%' "
            "ESCAPE '\\'"
        ).fetchall()
    assert runs == 3 and kinds == {"person"}  # three runs above; no company in these files
    assert leftovers == []


def test_command_line_explains_judges_and_refuses_bad_input(case):
    import shutil
    import subprocess
    import sys

    invert = [shutil.which("invert", path=str(Path(sys.executable).parent))]
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    a = _record(case, "register.csv", "POPESCU Ionel")
    b = _record(case, "payroll.csv", "Ionel Popescu")
    out = subprocess.run(
        [*invert, "resolve", "explain", str(case.path), a, b],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert "name_key" in out and "birth" in out and "same entity now: yes" in out
    bad = subprocess.run(
        [*invert, "resolve", "judge", str(case.path), a, b, "perhaps"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 1
    assert "decision must be one of same, different, unsure" in bad.stderr
    missing = subprocess.run(
        [*invert, "resolve", "explain", str(case.path), a, "person-nobody"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode == 1 and "no person or company record" in missing.stderr


def test_a_small_case_without_sure_matches_resolves(tmp_path, samples):
    """Five payslip records, none sharing a tax number or name and birth date: Splink's prior
    would be 0 and every weight infinite; the run must score, keep its models and re-run."""
    ws = Workspace.init(tmp_path / "small")
    ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    first = resolve(ws)
    assert "person" in first.trained and first.records["person"] >= 5
    with ws.connect() as con:
        prior = con.execute(
            "SELECT model->>'probability_two_random_records_match' FROM resolve_model "
            "WHERE kind = 'person'"
        ).fetchone()[0]
    assert 0 < float(prior) < 1
    again = resolve(ws)
    assert again.trained == [] and again.entities == first.entities
