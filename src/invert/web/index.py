"""What the pages look up, prepared once when the server starts.

Requests would otherwise read whole tables: a lead list joins every score to the names of its
subjects, a search compares every name and number, a profile looks for one entity's rows among
millions of payments, and every request rebuilt the record → entity mapping of the resolved
views. The server holds the workspace's database for writing while it runs, so no other command
can change the data under it: everything here is built once at start, into an in-memory
database attached as ``web_index`` that every request's cursor sees, and rebuilt only when the
server restarts. Nothing is written to the workspace.

- ``entity_of``: the record → entity mapping the resolved views join (``workspace.resolved``);
- ``lead``: every score with its subject's name, sector and area, for the lead lists;
- ``search``: every searchable value, lowercased and compacted, with the entity's name;
- ``ref``: where each id appears (a hash of the id → table, column, row number), so a profile
  reads an entity's rows by row number instead of scanning the tables.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

from invert.indicators.catalogue import load_catalogue
from invert.leads.explain import last_run_config
from invert.model import Model
from invert.money import accounts as money_accounts
from invert.money import sankey as money_sankey
from invert.workspace import has_table
from invert.workspace import resolved as resolved_views

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA = "web_index"
MAPPING = f"{SCHEMA}.entity_of"
# The table a list's subjects live in, and the column that names them.
SUBJECT_TABLE = {
    "company": ("company", "name"),
    "person": ("person", "name"),
    "child": ("person", "name"),
    "account": ("bank_account", "coalesce(iban, accountNumber)"),
    "ad": ("ad", "coalesce(title, url)"),
}
# (table searched, columns compared, column holding the entity found, that entity's table)
SEARCH_TARGETS = (
    (
        "person",
        ("name", "taxNumber", "idNumber", "passportNumber", "phone", "email"),
        "id",
        "person",
    ),
    (
        "company",
        ("name", "registrationNumber", "vatCode", "taxNumber", "phone", "email"),
        "id",
        "company",
    ),
    (
        "bank_account",
        ("iban", "accountNumber", "holderName", "kycPhone", "kycEmail"),
        "id",
        "bank_account",
    ),
    ("wage_payment", ("iban", "ibanHolder"), "employee", "person"),
)
# Values looked up in the index per query.
LOCATE_CHUNK = 500
# Beyond this many row numbers a query filters on the values instead of listing the rows.
MAX_LITERAL_ROWS = 2000
# Other columns a page looks rows up by: ties the network view follows, an entity's scores.
GRAPH_COLUMNS = (
    ("graph_edge", "source"),
    ("graph_edge", "target"),
    ("graph_node", "node"),
    ("score", "subject_id"),
)
# Evidence rows kept per indicator hit, as many as a profile shows (``explain``'s default).
EVIDENCE_KEPT = 50
# Each account's community in the graph: its own node's, else its holder's (accounts are nodes
# only where the graph saw them); the groups of the flows between communities.
COMMUNITY_ACCOUNTS = """
    WITH own AS (
        SELECT n.node AS account, 'community-' || g.community AS "group"
        FROM graph_membership g JOIN graph_node n ON n.node = g.node
        WHERE n.kind = 'account')
    SELECT * FROM own
    UNION ALL
    SELECT h.account, 'community-' || g.community FROM account_holder h
    JOIN graph_membership g ON g.node = h.holder
    WHERE h.account NOT IN (SELECT account FROM own)"""
SEARCH_NAME = {"bank_account": "coalesce(iban, accountNumber)"}


class Memo:
    """The latest results of a look-up, by its arguments. The data the pages read cannot change
    while the server runs, so a result stays true; what users see of it (pseudonyms, rights)
    is decided again at every request, from the result."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
        value = compute()  # outside the lock: two requests may compute it both, harmlessly
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class WebIndex:
    """The lookup tables of one running server (see the module's docstring)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, model: Model) -> None:
        started = time.perf_counter()
        self.model = model
        row = con.execute("SELECT current_database()").fetchone()
        assert row is not None
        self.db: str = row[0]
        con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SCHEMA}")
        self.resolved = resolved_views.applies(con)
        self.plan = resolved_views.Views.plan(con, model) if self.resolved else None
        if self.plan is not None:  # outcomes recorded while the server runs miss from a copy
            self.plan.copies.discard("outcome")
        self.refs = resolved_views.references(model)
        self.tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
                "AND schema_name = 'main' AND NOT temporary",
                [self.db],
            ).fetchall()
        }
        con.execute(
            f"CREATE OR REPLACE TABLE {MAPPING} AS "
            + (
                resolved_views.mapping_sql(self.db)
                if self.resolved
                else "SELECT NULL::VARCHAR AS record_id, NULL::VARCHAR AS entity_id LIMIT 0"
            )
        )
        # The mapping again as dictionaries: a profile looks up a few ids at a time.
        self.entity_of: dict[str, str] = dict(
            con.execute(f"SELECT record_id, entity_id FROM {MAPPING}").fetchall()
        )
        self.records_of: dict[str, list[str]] = {}
        for record, entity in sorted(self.entity_of.items()):
            self.records_of.setdefault(entity, []).append(record)
        self.run_config = last_run_config(con) if has_table(con, "runs") else None
        # The indicators as the latest analysis defined them, for the profiles' reasons.
        self.catalogue = {i.id: i for i in load_catalogue(self.run_config)}
        self.sources: dict[str, tuple[str, str]] = {
            r[0]: (r[1], r[2])
            for r in con.execute("SELECT source_id, file_name, sha256 FROM sources").fetchall()
        }
        self._hits(con)
        view = con.cursor()
        try:
            self.views(view)
            self.lists = self._leads(view)
            self._search(view)
        finally:
            view.close()
        self.pairs = self._refs(con)
        self._choices: dict[str, dict[str, list[str]]] = {}
        self._lock = threading.Lock()
        self._money_lock = threading.Lock()
        self._money_ready = False
        self._sankey_ready = False
        for name in self.lists:  # ready before the first page asks
            self.choices(con, name)
        # Profiles, neighbourhoods, list pages and searches recently asked for.
        self.memo = {
            "profile": Memo(256),
            "related": Memo(256),
            "network": Memo(256),
            "leads": Memo(512),
            "search": Memo(256),
        }
        log.info("web index built in %.1f s", time.perf_counter() - started)

    def has(self, con: duckdb.DuckDBPyConnection, table: str) -> bool:
        """``has_table``, answered from the tables present at start where it can be."""
        return table in self.tables or has_table(con, table)

    def views(self, con: duckdb.DuckDBPyConnection) -> None:
        """The resolved views on ``con``, joined to the shared mapping."""
        if self.plan is not None:
            resolved_views.create_views(con, self.model, MAPPING, self.plan)

    # lead lists ---------------------------------------------------------------------------

    def _leads(self, con: duckdb.DuckDBPyConnection) -> set[str]:
        con.execute(
            f"""CREATE OR REPLACE TABLE {SCHEMA}.lead (list VARCHAR, subject_id VARCHAR,
                label VARCHAR, probability DOUBLE, score DOUBLE, reasons {self._reasons(con)},
                indicators VARCHAR[], sector VARCHAR, city VARCHAR, postcode VARCHAR)"""
        )
        if not has_table(con, "score"):
            return set()
        for name, (table, label) in SUBJECT_TABLE.items():
            if not has_table(con, table):
                continue
            has_address = table in ("company", "person") and has_table(con, "address")
            area_join = (
                "LEFT JOIN (SELECT full_key, any_value(city) AS city, "
                "any_value(postalCode) AS postcode FROM address GROUP BY full_key) a "
                "ON a.full_key = n.address_key"
                if has_address
                else "LEFT JOIN (SELECT NULL AS city, NULL AS postcode) a ON true"
            )
            sector = "any_value(sector)" if table == "company" else "NULL"
            address_key = "any_value(address_key)" if has_address else "NULL"
            con.execute(
                f"""INSERT INTO {SCHEMA}.lead
                WITH n AS (SELECT id, any_value({label}) AS label, {sector} AS sector,
                                  {address_key} AS address_key
                           FROM "{table}" WHERE id IN (SELECT subject_id FROM score
                                                       WHERE list = $list) GROUP BY id)
                SELECT s.list, s.subject_id, n.label, s.probability, s.score, s.reasons,
                       list_transform(s.reasons, r -> r.indicator), n.sector, a.city, a.postcode
                FROM score s LEFT JOIN n ON n.id = s.subject_id {area_join}
                WHERE s.list = $list
                ORDER BY s.score DESC, s.subject_id""",
                {"list": name},
            )
        return {r[0] for r in con.execute(f"SELECT DISTINCT list FROM {SCHEMA}.lead").fetchall()}

    @staticmethod
    def _reasons(con: duckdb.DuckDBPyConnection) -> str:
        """The type of ``score.reasons``, as the analysis wrote it."""
        if not has_table(con, "score"):
            return "JSON"
        row = con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_catalog = "
            "current_database() AND table_name = 'score' AND column_name = 'reasons'"
        ).fetchone()
        return row[0] if row else "JSON"

    def choices(self, con: duckdb.DuckDBPyConnection, name: str) -> dict[str, list[str]]:
        """The values a list's filters offer: indicators that fired on it, sectors, cities."""
        with self._lock:
            if name in self._choices:
                return self._choices[name]
        out: dict[str, list[str]] = {
            "indicators": [
                r[0]
                for r in con.execute(
                    f"SELECT DISTINCT unnest(indicators) AS i FROM {SCHEMA}.lead "
                    "WHERE list = ? ORDER BY i",
                    [name],
                ).fetchall()
            ],
            "sectors": [],
            "areas": [],
        }
        table = SUBJECT_TABLE[name][0]
        if table == "company":
            out["sectors"] = [
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT sector FROM company WHERE sector IS NOT NULL ORDER BY 1"
                ).fetchall()
            ]
        if table in ("company", "person") and has_table(con, "address"):
            out["areas"] = [
                r[0]
                for r in con.execute(
                    f"""SELECT DISTINCT a.city FROM address a JOIN "{self.db}".main."{table}" t
                        ON t.address_key = a.full_key WHERE a.city IS NOT NULL ORDER BY 1"""
                ).fetchall()
            ]
        with self._lock:
            self._choices[name] = out
        return out

    # indicator hits ----------------------------------------------------------------------

    def _hits(self, con: duckdb.DuckDBPyConnection) -> None:
        """The hits by subject, each with its first evidence rows and their number: the
        stored table keeps every evidence row (hundreds of thousands on some hits), which a
        profile would otherwise read whole."""
        self.has_hits = has_table(con, "indicator_hit")
        if not self.has_hits:
            return
        con.execute(
            f"""CREATE OR REPLACE TABLE {SCHEMA}.hit AS
                SELECT subject_id, indicator, subject, strength, value, parameters,
                       evidence[1:{EVIDENCE_KEPT}] AS evidence,
                       coalesce(len(evidence), 0) AS evidence_total
                FROM "{self.db}".main.indicator_hit ORDER BY subject_id, indicator"""
        )
        con.execute(f"CREATE INDEX hit_subject ON {SCHEMA}.hit (subject_id)")

    def hits(self, con: duckdb.DuckDBPyConnection, entity_id: str) -> list[tuple] | None:
        """``(indicator, subject, strength, value, parameters, evidence, evidence_total)`` of
        each hit on the entity, by indicator; None when there was no analysis."""
        if not self.has_hits:
            return None
        return con.execute(
            f"""SELECT indicator, subject, strength, value, parameters, evidence, evidence_total
                FROM {SCHEMA}.hit WHERE subject_id = ? ORDER BY indicator""",
            [entity_id],
        ).fetchall()

    def files(self, con: duckdb.DuckDBPyConnection, source_ids: set[str]) -> dict[str, tuple]:
        """File name and SHA-256 of each source."""
        return {s: self.sources[s] for s in source_ids if s in self.sources}

    # money ---------------------------------------------------------------------------------

    MONEY_TABLES = ("payment", "account_home", "account_holder")

    def money(self, con: duckdb.DuckDBPyConnection) -> None:
        """The de-duplicated payments, account countries and holders of ``money.accounts``
        as temporary views on ``con`` (a cursor with the resolved views), prepared by the
        first money view and kept for the next ones (a few seconds on a large case)."""
        with self._money_lock:
            if not self._money_ready:
                money_accounts.prepare(con, force=True)
                for table in self.MONEY_TABLES:
                    con.execute(f"CREATE OR REPLACE TABLE {SCHEMA}.{table} AS FROM {table}")
                    con.execute(f"DROP TABLE {table}")
                self._money_ready = True
        for table in self.MONEY_TABLES:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS FROM {SCHEMA}.{table}")

    def sankey(self, con: duckdb.DuckDBPyConnection) -> str:
        """``money.sankey`` over the graph's communities, built by the first page that needs it
        into ``web_index.money_sankey`` (the table's name is returned), with each account's
        community in ``web_index.money_group(account, grp)``. The payments come from ``money``
        (called here); the workspace's own ``money_sankey`` is left alone."""
        self.money(con)
        table = f"{SCHEMA}.money_sankey"
        with self._money_lock:
            if not self._sankey_ready:
                money_sankey.build(con, COMMUNITY_ACCOUNTS, into=table)
                con.execute(
                    f"CREATE OR REPLACE TABLE {SCHEMA}.money_group AS "
                    "FROM sankey_group ORDER BY grp, account"
                )
                self._sankey_ready = True
        return table

    # search ------------------------------------------------------------------------------

    def _search(self, con: duckdb.DuckDBPyConnection) -> None:
        parts = []
        for position, (table, columns, id_col, kind) in enumerate(SEARCH_TARGETS):
            if not has_table(con, table):
                continue
            for offset, col in enumerate(columns):
                parts.append(
                    f"""SELECT DISTINCT {position * 10 + offset} AS position, '{kind}' AS kind,
                            "{id_col}" AS id, '{col}' AS field, '{table}' AS in_table,
                            CAST("{col}" AS VARCHAR) AS value
                        FROM "{table}" WHERE "{id_col}" IS NOT NULL AND "{col}" IS NOT NULL"""
                )
        if not parts:
            parts = [
                "SELECT NULL::INTEGER AS position, NULL AS kind, NULL::VARCHAR AS id, "
                "NULL AS field, NULL AS in_table, NULL::VARCHAR AS value LIMIT 0"
            ]
        names = [
            f"""SELECT '{kind}' AS kind, id, any_value({SEARCH_NAME.get(kind, "name")}) AS name
                FROM "{kind}" GROUP BY id"""
            for kind in dict.fromkeys(t[3] for t in SEARCH_TARGETS)
            if has_table(con, kind)
        ] or ["SELECT NULL AS kind, NULL::VARCHAR AS id, NULL::VARCHAR AS name LIMIT 0"]
        # Each distinct lowercased value once (``search_value``, as typed and compacted) is
        # what a search scans; ``search`` says where each value was found, with the name of
        # the entity found.
        con.execute(
            f"""CREATE OR REPLACE TABLE {SCHEMA}.search AS
                WITH found AS (SELECT *, lower(value) AS plain
                               FROM ({" UNION ALL ".join(parts)})),
                     v AS (SELECT plain, row_number() OVER () AS vid
                           FROM (SELECT DISTINCT plain FROM found))
                SELECT f.position, f.kind, f.id, f.field, f.in_table, f.value, n.name, v.vid
                FROM found f JOIN v USING (plain)
                LEFT JOIN ({" UNION ALL ".join(names)}) n ON n.kind = f.kind AND n.id = f.id
                ORDER BY v.vid"""
        )
        con.execute(f"CREATE INDEX search_vid ON {SCHEMA}.search (vid)")
        con.execute(
            f"""CREATE OR REPLACE TABLE {SCHEMA}.search_value AS
                SELECT vid, any_value(lower(value)) AS plain,
                       regexp_replace(any_value(lower(value)), '[^0-9a-z]', '', 'g') AS compact
                FROM {SCHEMA}.search GROUP BY vid ORDER BY vid"""
        )

    # where each id appears ---------------------------------------------------------------

    def _refs(self, con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
        """Index every id column a profile filters on: the id of every table (entities and
        evidence rows) and the references of the tables that tie two entities (related
        entities)."""
        pairs: list[tuple[str, str]] = []
        for etype in self.model:
            if not has_table(con, etype.table):
                continue
            refs = [p.name for p in etype.properties.values() if p.type.name == "entity"]
            if "id" in dict(etype.columns):
                pairs.append((etype.table, "id"))
            if len(refs) >= 2:
                pairs += [(etype.table, c) for c in refs]
        for table, col in GRAPH_COLUMNS:
            if has_table(con, table):
                pairs.append((table, col))
        parts = [
            f"""SELECT hash("{col}") AS h, {i}::SMALLINT AS pair, rowid AS rid
                FROM "{self.db}".main."{table}" WHERE "{col}" IS NOT NULL"""
            for i, (table, col) in enumerate(pairs)
        ] or ["SELECT 0::UBIGINT AS h, 0::SMALLINT AS pair, 0::BIGINT AS rid LIMIT 0"]
        con.execute(
            f"CREATE OR REPLACE TABLE {SCHEMA}.ref AS {' UNION ALL '.join(parts)} ORDER BY h"
        )
        con.execute(f"CREATE INDEX ref_h ON {SCHEMA}.ref (h)")
        return pairs

    def locate(
        self, con: duckdb.DuckDBPyConnection, values: list[str]
    ) -> dict[tuple[str, str], list[int]]:
        """Per indexed (table, column), the row numbers whose value may be one of ``values``
        (a hash match: the rows read are checked against the values)."""
        out: dict[tuple[str, str], list[int]] = {}
        unique = list(dict.fromkeys(v for v in values if v is not None))
        for start in range(0, len(unique), LOCATE_CHUNK):
            chunk = unique[start : start + LOCATE_CHUNK]
            # A list of hash(?) is folded to constants, which the index on ``h`` can look up
            # (a join on the hashes of an unnested list would scan the whole index).
            hashes = ", ".join("hash(?::VARCHAR)" for _ in chunk)
            for pair, rid in con.execute(
                f"SELECT pair, rid FROM {SCHEMA}.ref WHERE h IN ({hashes})", chunk
            ).fetchall():
                out.setdefault(self.pairs[pair], []).append(rid)
        for rows in out.values():
            rows.sort()
        return out

    def rowids(
        self, con: duckdb.DuckDBPyConnection, table: str, column: str, values: list[str]
    ) -> list[int] | None:
        """Row numbers of ``table`` whose stored ``column`` may hold one of ``values``; None
        when that column is not indexed."""
        if (table, column) not in self.pairs:
            return None
        return self.locate(con, values).get((table, column), [])

    def records(self, con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
        """The entities ``ids`` and the ids of the records resolution merged into them."""
        return list(dict.fromkeys([*ids, *(r for i in ids for r in self.records_of.get(i, []))]))

    def select(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        column: str,
        values: list[str],
        columns: str = "*",
        limit: int | None = None,
        resolved: bool = True,
        located: dict[tuple[str, str], list[int]] | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of ``table`` whose stored ``column`` holds one of ``values`` (record ids),
        in stored order, with their references as the resolved views show them (entity ids)
        unless not ``resolved``; ``columns`` are SQL on the stored row ``t``. ``located`` is
        what ``locate`` returned for the same values, to look up several tables at once."""
        if located is not None and (table, column) in self.pairs:
            rows: list[int] | None = located.get((table, column), [])
        else:
            rows = self.rowids(con, table, column, values)
        wanted = set(values)
        key = f't."{column}" AS "__key"'
        if rows is None or len(rows) > MAX_LITERAL_ROWS:
            cur = con.execute(
                f"""SELECT {columns}, {key} FROM "{self.db}".main."{table}" t
                    WHERE t."{column}" IN (SELECT unnest(?::VARCHAR[])) ORDER BY t.rowid"""
                + (f" LIMIT {int(limit)}" if limit else ""),
                [values],
            )
        elif not rows:
            return []
        else:
            if limit:  # the first rows in stored order (the index is exact but for collisions)
                rows = rows[: 2 * limit]
            # Literal row numbers within their range: the scan reads only the vectors
            # holding them (a join on a list of row numbers would scan the range).
            cur = con.execute(
                f"""SELECT {columns}, {key} FROM "{self.db}".main."{table}" t
                    WHERE t.rowid BETWEEN {rows[0]} AND {rows[-1]}
                      AND t.rowid IN ({", ".join(str(int(r)) for r in rows)})
                    ORDER BY t.rowid"""
            )
        names = [d[0] for d in cur.description][:-1]
        found = [dict(zip(names, r[:-1], strict=True)) for r in cur.fetchall() if r[-1] in wanted]
        if limit:
            found = found[:limit]
        refs = self.refs.get(table, [])
        refs = [c for c in refs if c in names] if resolved and self.resolved else []
        if found and refs:
            mapping = self.entities(con, [r[c] for r in found for c in refs if r[c]])
            for r in found:
                for c in refs:
                    r[c] = mapping.get(r[c], r[c])
        return found

    def entities(self, con: duckdb.DuckDBPyConnection, records: list[str]) -> dict[str, str]:
        """The entity of each record that resolution merged into another."""
        return {r: self.entity_of[r] for r in records if r in self.entity_of}

    def rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        ids: list[str],
        columns: str = "*",
        located: dict[tuple[str, str], list[int]] | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of ``table`` whose id, as the resolved views show it, is one of ``ids``:
        what ``SELECT columns FROM table WHERE id IN ids`` reads through the views (``columns``
        must include the id). ``located``: what ``locate`` returned for ``records(ids)``."""
        merged = table in resolved_views.KINDS and self.resolved
        records = self.records(con, ids) if merged else ids
        wanted = set(ids)
        found = self.select(con, table, "id", records, columns, located=located)
        return [r for r in found if r["id"] in wanted]
