"""The audit log on a real workspace: an intact chain verifies, and every kind of tampering is
found at the row where it happened."""

from __future__ import annotations

import itertools
import json
import threading

import pytest

from invert.security import SecurityError, audit

ROWS = 12


@pytest.fixture
def con(ws):
    with ws.connect() as con:
        for i in range(1, ROWS + 1):
            audit.record(con, f"user{i % 3}", "view_person", f"person-{i}", {"page": i, "q": "x"})
        yield con


def _broken(con) -> tuple[int | None, str]:
    check = audit.verify(con)
    assert not check.intact
    return check.broken_seq, check.problem or ""


def test_chain_intact_after_many_appends(ws):
    with ws.connect() as con:
        for i in range(300):
            audit.record(con, "ana", "search", None, {"text": f"name {i}", "hits": i % 7})
        check = audit.verify(con)
        last = con.execute("SELECT hash FROM audit_log WHERE seq = 300").fetchone()[0]
    assert check.intact and check.rows == 300
    assert (check.head_seq, check.head_hash) == (300, last)
    assert json.loads((ws.path / audit.HEAD_FILE).read_text()) == {"seq": 300, "hash": last}


def test_first_row_starts_from_genesis_and_rows_link(con):
    rows = audit.entries(con)
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


def test_appends_from_several_threads_keep_one_chain(ws):
    errors: list[BaseException] = []
    with ws.connect() as con:

        def append(n: int) -> None:
            cursor = con.cursor()
            try:
                for i in range(20):
                    audit.record(cursor, f"web{n}", "view_company", f"c{i}")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check = audit.verify(con)
    assert not errors
    assert check.intact and check.rows == 80 and check.head_seq == 80


def test_each_append_returns_its_own_row_when_rows_are_written_in_groups(ws):
    returned: list[audit.Entry] = []
    with ws.connect() as con:

        def append(n: int) -> None:
            cursor = con.cursor()
            for i in range(15):
                returned.append(audit.record(cursor, f"web{n}", "search", None, {"i": i}))

        threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stored = {e.seq: e for e in audit.entries(con)}
        check = audit.verify(con)
    assert check.intact and check.head_seq == max(stored)
    assert sorted(e.seq for e in returned) == sorted(set(e.seq for e in returned))
    assert all(stored[e.seq] == e for e in returned)


@pytest.mark.parametrize(
    "column, value",
    [
        ("subject", "'person-99'"),
        ('"user"', "'someone-else'"),
        ("action", "'view_company'"),
        ("detail", """'{"page": 5, "q": "y"}'"""),
        ('"at"', """"at" + INTERVAL 1 SECOND"""),
    ],
)
def test_update_of_one_field_is_found(con, column, value):
    con.execute(f"UPDATE audit_log SET {column} = {value} WHERE seq = 5")
    seq, problem = _broken(con)
    assert seq == 5 and "changed after it was written" in problem


def test_reformatted_json_detail_is_not_tampering(con):
    con.execute("""UPDATE audit_log SET detail = '{ "q" : "x" , "page" : 5 }' WHERE seq = 5""")
    assert audit.verify(con).intact


def test_delete_of_a_middle_row_is_found(con):
    con.execute("DELETE FROM audit_log WHERE seq = 6")
    seq, problem = _broken(con)
    assert seq == 6 and "row 6 is missing" in problem


def test_delete_and_renumber_is_found(con):
    con.execute("DELETE FROM audit_log WHERE seq = 6")
    con.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq > 6")
    seq, problem = _broken(con)
    assert seq == 6 and "does not follow row 5" in problem


def test_delete_of_the_last_row_is_found_by_the_head_file(con):
    con.execute(f"DELETE FROM audit_log WHERE seq = {ROWS}")
    seq, problem = _broken(con)
    assert seq == ROWS and "missing from the end" in problem


def test_forged_row_with_recomputed_hash_but_wrong_prev_hash_is_found(con):
    last = audit.entries(con)[-1]
    forged = audit.Entry(
        ROWS + 1, last.at, "ana", "view_person", "p", {}, "f" * 64, ""
    ).computed_hash()
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, 'ana', 'view_person', 'p', '{}', ?, ?)",
        [ROWS + 1, last.at, "f" * 64, forged],
    )
    seq, problem = _broken(con)
    assert seq == ROWS + 1 and f"does not follow row {ROWS}" in problem


def test_forged_row_that_chains_correctly_is_found_by_the_head_file(con):
    last = audit.entries(con)[-1]
    row = audit.Entry(ROWS + 1, last.at, "ana", "view_person", "p", {}, last.hash, "")
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, 'ana', 'view_person', 'p', '{}', ?, ?)",
        [row.seq, row.at, row.prev_hash, row.computed_hash()],
    )
    seq, problem = _broken(con)
    assert seq == ROWS + 1 and "not written by INVERT" in problem


def test_swapped_seq_numbers_are_found(con):
    con.execute("UPDATE audit_log SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE seq IN (3, 4)")
    seq, problem = _broken(con)
    assert seq == 3 and "does not follow row 2" in problem


def test_deleted_or_damaged_head_file_is_found(ws, con):
    head = ws.path / audit.HEAD_FILE
    head.write_text("{not json")
    with pytest.raises(SecurityError, match=r"unreadable.*restore it"):
        audit.verify(con)
    head.unlink()
    seq, problem = _broken(con)
    assert seq == ROWS and "missing" in problem


def test_dropped_log_is_found(con):
    con.execute("DROP TABLE audit_log")
    seq, problem = _broken(con)
    assert seq == 1 and "log is empty" in problem


def test_an_unused_log_is_intact(ws):
    with ws.connect() as con:
        check = audit.verify(con)
    assert check.intact and check.rows == 0


def test_show_filters_by_user_and_keeps_the_last_rows(con):
    rows = audit.entries(con, user="USER1", last=2)
    assert [(r.seq, r.user) for r in rows] == [(7, "user1"), (10, "user1")]
    assert rows[-1].detail == {"page": 10, "q": "x"}
