"""Many small goAML reports in one command: written as one batch, each still its own source with
the rows, counts and provenance a file-by-file ingest gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import query, snapshot
from invert.errors import InvalidData
from invert.ingest import batch
from invert.ingest.load import ingest, ingest_many
from invert.workspace import Workspace


def _reports(samples: Path, folder: Path) -> list[Path]:
    """Four reports: the sample; another with a repeated transaction, an invalid amount and an
    invalid IBAN; a copy of the sample with a different byte (same transactions, new file); and
    a third report."""
    text = (samples / "str.goaml.xml").read_text(encoding="utf-8")
    first_tx = text[text.index("  <transaction>") : text.index("</transaction>") + 15] + "\n"
    other = text.replace("ABN-STR-2024-0931", "ABN-STR-2024-0932")
    other = other.replace("</action>\n", "</action>\n" + first_tx * 2, 1)  # thrice in the file
    other = other.replace("<amount_local>2000.00<", "<amount_local>20x0<", 1)
    other = other.replace("<iban>NL91ABNA0417164300</iban>", "<iban>NL00ABNA0417164300</iban>", 1)
    folder.mkdir()
    files = {
        "str_a.xml": text,
        "str_b.xml": other,
        "str_c.xml": text.replace("<report>", "<report>\n", 1),
        "str_d.xml": text.replace("ABN-STR-2024-0931", "ABN-STR-2024-0977"),
    }
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return [folder / name for name in files]


def _facts(ws: Workspace) -> dict[str, list]:
    return {t: rows for t, rows in snapshot(ws).items() if t not in ("sources", "runs")}


def _sources(ws: Workspace) -> list[tuple]:
    return query(
        ws,
        "SELECT source_id, file_name, sha256, size_bytes, format, version, rows_read, "
        "rows_loaded, rows_quarantined, regexp_replace(stored_path, '^.*/', '') "
        "FROM sources ORDER BY source_id",
    )


def _one_by_one(tmp_path: Path, files: list[Path], name: str = "single") -> Workspace:
    ws = Workspace.init(tmp_path / name)
    for path in files:
        ingest(ws, path)
    return ws


def test_reports_are_one_batch_storing_what_one_file_at_a_time_stores(tmp_path, samples):
    files = _reports(samples, tmp_path / "fiu")
    assert [len(g.jobs) for g in batch.groups([(f, None) for f in files], None, None)] == [4]
    many = Workspace.init(tmp_path / "many")
    results = list(ingest_many(many, [(f, None) for f in files]))
    assert [(r.file_name, r.status) for r in results] == [(f.name, "loaded") for f in files]
    single = _one_by_one(tmp_path, files)
    assert _facts(many) == _facts(single)
    assert _sources(many) == _sources(single)
    assert [s[0] for s in _sources(many)] == [f.name for f in files]
    # Each file has its own runs row, saying it was ingested in a batch of four.
    runs = query(many, "SELECT parameters FROM runs WHERE stage = 'ingest'")
    assert sorted(json.loads(p)["source_id"] for (p,) in runs) == [f.name for f in files]
    assert {json.loads(p)["batch_files"] for (p,) in runs} == {4}
    # The bad row is quarantined under its file, row and field; the invalid IBAN is flagged.
    b = results[1]
    assert (b.read, b.loaded, b.quarantined, b.flagged) == (5, 4, 1, 1)
    [(row, field, reason)] = query(
        many, "SELECT source_row, field, reason FROM quarantine WHERE source_id = 'str_b.xml'"
    )
    assert field == "amount_local" and "20x0" in reason
    line = next(
        n
        for n, text in enumerate((tmp_path / "fiu" / "str_b.xml").read_text().splitlines(), 1)
        if "20x0" in text
    )
    assert row < line  # the row is the line the transaction starts on
    assert query(many, "SELECT source_id FROM value_flags") == [("str_b.xml",)]
    # The repeated transaction keeps three ids, numbered within its own file only.
    ids = query(
        many,
        'SELECT source_id, count(DISTINCT id) FROM "transaction" WHERE transactionNumber = '
        "'ABN-20241105-0001-1' GROUP BY ALL ORDER BY 1",
    )
    assert ids == [("str_a.xml", 1), ("str_b.xml", 3), ("str_c.xml", 1), ("str_d.xml", 1)]


def test_unchanged_and_changed_reports_in_a_batch(tmp_path, samples):
    files = _reports(samples, tmp_path / "fiu")
    ws = Workspace.init(tmp_path / "many")
    list(ingest_many(ws, [(f, None) for f in files]))
    before = _facts(ws)
    assert {r.status for r in ingest_many(ws, [(f, None) for f in files])} == {"unchanged"}
    assert _facts(ws) == before
    # One report changes: it alone is replaced, as it would be one file at a time.
    files[2].write_text(files[3].read_text().replace("0977", "0978"), encoding="utf-8")
    statuses = [r.status for r in ingest_many(ws, [(f, None) for f in files])]
    assert statuses == ["unchanged", "unchanged", "replaced", "unchanged"]
    single = _one_by_one(tmp_path, files[:2] + files[3:] + files[2:3])
    assert _facts(ws) == _facts(single)
    assert query(ws, "SELECT version FROM sources WHERE source_id = 'str_c.xml'") == [(2,)]
    # A file with the content of one already stored is unchanged, naming that source.
    twin = tmp_path / "fiu" / "str_e.xml"
    twin.write_text(files[0].read_text(), encoding="utf-8")
    [*_, last] = ingest_many(ws, [(f, None) for f in [*files, twin]])
    assert (last.status, last.previous) == ("unchanged", "str_a.xml")


def test_a_broken_report_fails_with_its_name_after_storing_those_before_it(tmp_path, samples):
    files = _reports(samples, tmp_path / "fiu")
    broken = files[2]
    broken.write_text(broken.read_text()[:1500], encoding="utf-8")
    ws = Workspace.init(tmp_path / "many")
    done = []
    with pytest.raises(InvalidData, match=r"str_c\.xml: broken XML"):
        for result in ingest_many(ws, [(f, None) for f in files]):
            done.append(result.file_name)
    assert done == ["str_a.xml", "str_b.xml"]
    assert _facts(ws) == _facts(_one_by_one(tmp_path, files[:2]))
    assert [s[0] for s in _sources(ws)] == ["str_a.xml", "str_b.xml"]
    assert sorted(p.name.split("-", 1)[1] for p in ws.sources_dir.iterdir()) == [
        "str_a.xml",
        "str_b.xml",
    ]


def test_a_batch_that_fails_to_write_stores_none_of_its_files(tmp_path, samples, monkeypatch):
    files = _reports(samples, tmp_path / "fiu")
    ws = Workspace.init(tmp_path / "many")
    list(ingest_many(ws, [(files[0], None)]))
    before = snapshot(ws)

    def fail(*_args):
        raise InvalidData("disk full")

    monkeypatch.setattr(batch, "_record", fail)
    with pytest.raises(InvalidData, match="disk full"):
        list(ingest_many(ws, [(f, None) for f in files]))
    assert snapshot(ws) == before
    assert [p.name.split("-", 1)[1] for p in ws.sources_dir.iterdir()] == ["str_a.xml"]


def test_large_files_and_mixed_formats_are_not_batched(tmp_path, samples, monkeypatch):
    files = _reports(samples, tmp_path / "fiu")
    jobs = [(f, None) for f in files]
    jobs.insert(2, (samples / "statement.camt053.xml", None))
    assert [len(g.jobs) for g in batch.groups(jobs, None, None)] == [2, 1, 2]
    assert [len(g.jobs) for g in batch.groups(jobs, None, "one")] == [1] * 5
    monkeypatch.setattr(batch, "SMALL_FILE", 100)
    assert [len(g.jobs) for g in batch.groups(jobs, None, None)] == [1] * 5
