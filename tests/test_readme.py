"""The 'Bring your own data' walkthrough in the README works as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from helpers import query
from invert.ingest.load import ingest

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(lang: str) -> list[str]:
    section = README.read_text().split("## Bring your own data", 1)[1].split("\n## ", 1)[0]
    return [textwrap.dedent(b) for b in re.findall(rf"```{lang}\n(.*?)```", section, re.S)]


def test_walkthrough_mapping_ingests_the_example_file(ws, tmp_path):
    csv_text = _blocks("text")[0]
    yaml_blocks = _blocks("yaml")
    (tmp_path / "workers.csv").write_text(csv_text)
    (tmp_path / "workers.yml").write_text("\n".join(yaml_blocks[:2]))
    r = ingest(ws, tmp_path / "workers.csv", tmp_path / "workers.yml")
    assert (r.read, r.loaded, r.quarantined) == (1, 1, 0)
    person = query(ws, "SELECT firstName, lastName, birthDate, nationality, phone FROM person")[0]
    assert person[:2] == ("Ion", "POPESCU") and str(person[2]) == "1994-03-02"
    assert person[3:] == ("RO", "+40721123456")
    assert query(ws, "SELECT wage FROM employment")[0][0] == 7.5
    assert query(
        ws, "SELECT a.iban, p.firstName FROM bank_account a JOIN person p ON p.id = a.holder"
    ) == [("RO49AAAA1B31007593840000", "Ion")]
