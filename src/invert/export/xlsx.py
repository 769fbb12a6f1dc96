"""Excel workbook (openpyxl, write-only): sheets Nodes, Edges and Communities.

Each sheet has a header row and frozen panes. A sheet holds at most Excel's 1,048,576 rows;
larger edge lists continue on "Edges 2", "Edges 3" …
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from openpyxl import Workbook

MAX_ROWS = 1_048_575  # Excel's row limit, less the header

SHEETS = {
    "Nodes": """SELECT node, kind, label, community, component, degree, pagerank
                FROM export_node ORDER BY community, pagerank DESC, node""",
    "Edges": """SELECT source, source_kind, target, target_kind, type, relation, count, amount,
                       first_date, last_date FROM export_edge""",
    "Communities": """
        SELECT community, count(*) AS nodes,
               count(*) FILTER (WHERE kind = 'company') AS firms,
               count(*) FILTER (WHERE kind = 'person') AS people,
               count(*) FILTER (WHERE kind = 'account') AS accounts,
               count(*) FILTER (WHERE kind IN ('address', 'phone', 'email')) AS identifiers,
               count(*) FILTER (WHERE kind = 'ad') AS ads,
               arg_max(label, pagerank) FILTER (WHERE kind = 'company') AS central_firm,
               arg_max(label, pagerank) FILTER (WHERE kind = 'person') AS central_person
        FROM export_node GROUP BY community ORDER BY firms DESC, nodes DESC, community""",
}


def write(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    wb = Workbook(write_only=True)
    for title, sql in SHEETS.items():
        cursor = con.execute(sql)
        header = [d[0] for d in cursor.description]
        part, sheet, rows_in_sheet = 0, None, MAX_ROWS
        while rows := cursor.fetchmany(10_000):
            for row in rows:
                if rows_in_sheet == MAX_ROWS:
                    part += 1
                    sheet = wb.create_sheet(title if part == 1 else f"{title} {part}")
                    sheet.freeze_panes = "A2"
                    sheet.append(header)
                    rows_in_sheet = 0
                sheet.append(row)  # type: ignore[union-attr]
                rows_in_sheet += 1
        if part == 0:  # an empty sheet still gets its header
            sheet = wb.create_sheet(title)
            sheet.freeze_panes = "A2"
            sheet.append(header)
    wb.save(out)
