"""The data files as small SQL tables the generators join to.

Weighted choices become [lo, hi) ranges on the unit interval, so a draw ``u`` picks the row
with ``lo <= u < hi`` in one range join.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from invert.simulate.config import data


def _cumulative(weights: list[float]) -> tuple[list[float], list[float]]:
    total = sum(weights)
    lo, hi, acc = [], [], 0.0
    for w in weights:
        lo.append(acc / total)
        acc += w
        hi.append(acc / total)
    hi[-1] = 1.0 + 1e-9
    return lo, hi


def _register(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("lookup_arrow", table)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM lookup_arrow")
    con.unregister("lookup_arrow")


def install(con: duckdb.DuckDBPyConnection) -> None:
    people = data("people")
    nats = list(people)
    lo, hi = _cumulative([people[n]["share"] for n in nats])
    _register(
        con,
        "nat",
        pa.table(
            {
                "nat": nats,
                "lo": lo,
                "hi": hi,
                "language": [people[n]["language"] for n in nats],
                "phone_code": [people[n]["phone"]["code"] for n in nats],
                "mobiles": [people[n]["phone"]["mobile"] for n in nats],
                "phone_digits": [people[n]["phone"]["digits"] for n in nats],
                "banks": [[str(b) for b in people[n]["iban"]["banks"]] for n in nats],
                "account_digits": [people[n]["iban"]["digits"] for n in nats],
                "male": [people[n]["male"] for n in nats],
                "female": [people[n]["female"] for n in nats],
                "surname": [people[n]["surname"] for n in nats],
            }
        ),
    )
    sectors = data("sectors")
    codes = list(sectors)
    lo, hi = _cumulative([sectors[c]["share"] for c in codes])
    _register(
        con,
        "sector",
        pa.table(
            {
                "nace": codes,
                "lo": lo,
                "hi": hi,
                "label": [sectors[c]["label"] for c in codes],
                "size": [float(sectors[c]["size"]) for c in codes],
                "pay": [float(sectors[c]["pay"]) for c in codes],
                "seasonal": [bool(sectors[c]["seasonal"]) for c in codes],
                "words": [sectors[c]["words"] for c in codes],
            }
        ),
    )
    region = data("region")
    cities = region["cities"]
    lo, hi = _cumulative([c["weight"] for c in cities])
    _register(
        con,
        "city",
        pa.table(
            {
                "city": [c["name"] for c in cities],
                "postcode": [c["postcode"] for c in cities],
                "lo": lo,
                "hi": hi,
            }
        ),
    )
    ages = sorted(region["minimum_wage"])
    _register(
        con,
        "minimum_wage",
        pa.table(
            {
                "age": ages,
                "rate": [float(region["minimum_wage"][a]) for a in ages],
            }
        ),
    )
    _register(
        con,
        "institution",
        pa.table(
            {
                "name": [i["name"] for i in region["institutions"]],
                "kind": [i["kind"] for i in region["institutions"]],
            }
        ),
    )
    con.execute("CREATE OR REPLACE TABLE lists AS SELECT ? AS streets", [region["streets"]])
    # Host-country banks: who holds the accounts of people and firms living in the region.
    _register(
        con,
        "host_bank",
        pa.table(
            {
                "bank": ["INGB", "ABNA", "RABO", "SNSB", "TRIO"],
                "lo": [0.0, 0.40, 0.70, 0.95, 0.98],
                "hi": [0.40, 0.70, 0.95, 0.98, 1.0 + 1e-9],
            }
        ),
    )
