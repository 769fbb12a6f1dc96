"""Near-duplicate ads: text clusters by MinHash and LSH, then posters and templates.

A text cluster is a set of ads written from one template whose slots vary (job, city, pay,
phone, optional sentences). The steps, all over the whole table at once:

1. **Normalise** title and body: lower case, every run of characters that are not letters
   becomes one space, so numbers, prices, dates, emoji and the digits of contacts do not split
   a template. Ads with the same normalised text are exact duplicates: they share one document.
2. **Shingle and sign**: each document becomes the set of its word ``k``-grams (or character
   ``k``-grams), hashed once in DuckDB; the MinHash signature of every document is computed in
   numpy, one vectorised pass per permutation (multiply-shift hashing of the 64-bit shingle
   hashes, then ``np.minimum.reduceat`` over the documents' offsets).
3. **LSH banding** in DuckDB: the signature is cut into ``bands`` bands; documents with the
   same band value are candidates. A bucket of at most ``bucket_cap`` documents gives all its
   pairs; a larger one (a common template) only chains its documents in a random order, so one
   huge bucket costs as many pairs as it has documents.
4. **Verify**: a candidate pair is kept when its estimated Jaccard similarity (the share of
   equal signature values) is at least ``threshold``.
5. **Group**: Leiden communities (igraph, constant Potts model) of the similar pairs weighted by
   their estimated Jaccard: a community holds while the summed similarity of its pairs exceeds
   ``resolution`` times its number of pairs. Connected components (``resolution=0``) chain two
   templates of one language that share optional sentences, and a planted recruiter's template
   to a job board's boilerplate through one noisy pair; the density requirement keeps them
   apart. Pairs never seen (beyond a bucket's cap) count as 0, so a common template of thousands
   of ads comes out as several clusters of a few hundred: its posters tell them apart.
6. **Split by contact** (see ``invert.ads.posters``): inside a community, every group of at
   least ``split_min_ads`` ads that share a contact becomes its own text cluster. In the terms of
   InfoShield's minimum description length, a contact repeated by that many ads is part of their
   template, not a slot; two recruiters copying one text are two clusters.

Singletons get no row: ``ad_cluster`` holds only ads in clusters of two ads or more (exact
duplicates included), so its row count is the number of clustered ads.

Written, replaced on every run in one transaction: ``ad_cluster(ad, cluster, size,
similarity)``, ``ad_poster(ad, poster)``, ``ad_poster_profile`` and ``ad_template`` (see
``invert.ads.posters`` and ``invert.ads.template``).
"""

from __future__ import annotations

import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import igraph as ig
import numpy as np
import pyarrow as pa

from invert.ads import posters, template

DEFAULT_SHINGLE = "word3"  # word 3-grams: char5 finds more pairs but cannot tell two templates
# of one language apart (they share optional sentences), and costs five times the hashing
DEFAULT_NUM_PERM = 128
DEFAULT_BANDS = 64  # 2 rows per band: a pair at Jaccard 0.15 collides in some band with p = 0.77,
# at 0.2 with p = 0.93 (1 - (1 - s^2)^64); a template's ads are joined through many such pairs
DEFAULT_THRESHOLD = 0.15  # estimated Jaccard a candidate pair needs to count as similar (ours)
DEFAULT_RESOLUTION = 0.04  # least average estimated Jaccard of a cluster's pairs (ours; measured
# on four simulated regions: 0.05 split large campaigns, 0.03 merged networks sharing a template)
DEFAULT_BUCKET_CAP = 10  # buckets up to this size give all their pairs (ours)
SEED = 20251207
THREADS = 2  # MinHash threads
# Text normalisation: every run of non-letters (digits, punctuation, emoji, spaces) is one space.
NON_LETTERS = r"[^\pL]+"
SHINGLE = re.compile(r"^(word|char)([1-9])$")


@dataclass
class ClusterCounts:
    ads: int = 0
    documents: int = 0  # distinct normalised texts
    exact_duplicates: int = 0  # ads whose normalised text an earlier ad already has
    candidate_pairs: int = 0
    similar_pairs: int = 0
    text_clusters: int = 0  # clusters of two ads or more
    clustered_ads: int = 0
    posters: int = 0  # posters of two ads or more
    templates: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def cluster(
    con: duckdb.DuckDBPyConnection,
    *,
    shingle: str = DEFAULT_SHINGLE,
    num_perm: int = DEFAULT_NUM_PERM,
    bands: int = DEFAULT_BANDS,
    threshold: float = DEFAULT_THRESHOLD,
    resolution: float = DEFAULT_RESOLUTION,
    bucket_cap: int = DEFAULT_BUCKET_CAP,
    split_min_ads: int = posters.DEFAULT_SPLIT_MIN_ADS,
    hub_share: float = posters.DEFAULT_HUB_SHARE,
    hub_min_ads: int = posters.DEFAULT_HUB_MIN_ADS,
    template_sample: int = template.DEFAULT_SAMPLE,
    template_limit: int = template.DEFAULT_LIMIT,
) -> ClusterCounts:
    """Rebuild ``ad_cluster``, ``ad_poster``, ``ad_poster_profile`` and ``ad_template``."""
    match = SHINGLE.match(shingle)
    if not match:
        raise ValueError(f"shingle must be word<k> or char<k> (k from 1 to 9), not {shingle!r}")
    if num_perm < 1 or bands < 1 or num_perm % bands:
        raise ValueError(f"bands ({bands}) must divide num_perm ({num_perm})")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    counts = ClusterCounts()
    clock = _Clock(counts.seconds)
    counts.ads, counts.documents = _documents(con)
    counts.exact_duplicates = counts.ads - counts.documents
    clock("normalise")
    offsets, hashes = _shingles(con, match.group(1), int(match.group(2)))
    clock("shingles")
    signature = minhash(offsets, hashes, num_perm)
    del offsets, hashes
    clock("minhash")
    a, b = _candidates(con, signature, bands, bucket_cap)
    counts.candidate_pairs = len(a)
    clock("lsh")
    similarity = _similarity(signature, a, b)
    keep = similarity >= threshold
    a, b, similarity = a[keep], b[keep], similarity[keep]
    counts.similar_pairs = len(a)
    clock("verify")
    group = _groups(counts.documents, a, b, similarity, resolution)
    strength = _strength(group, a, b, similarity)
    clock("groups")
    con.register(
        "ad_doc_group",
        pa.table(
            {
                "doc": pa.array(np.arange(len(group), dtype=np.int64)),
                "grp": pa.array(group),
            }
        ),
    )
    con.register(
        "ad_similar_pair",
        pa.table({"a": pa.array(a), "b": pa.array(b), "similarity": pa.array(similarity)}),
    )
    try:
        posters.contacts(con, hub_share, hub_min_ads)
        units = posters.split_units(con, split_min_ads)
        clock("contacts")
        con.execute("BEGIN TRANSACTION")
        try:
            counts.text_clusters, counts.clustered_ads = _write_clusters(
                con, units, signature, strength
            )
            counts.posters = posters.build(con)
            clock("posters")
            counts.templates = template.build(con, template_sample, template_limit)
            clock("templates")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.unregister("ad_doc_group")
        con.unregister("ad_similar_pair")
        for table in ("ad_doc_of", "ad_doc", "ad_bands", "ad_contact_all", "ad_contact_key"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute("DROP TABLE IF EXISTS ad_contact_group")
    return counts


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds, self.started = seconds, time.time()

    def __call__(self, step: str) -> None:
        now = time.time()
        self.seconds[step] = round(now - self.started, 3)
        self.started = now


def _documents(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Temp tables ``ad_doc_of(ad, doc)`` and ``ad_doc(doc, text)``: one document per distinct
    normalised text, numbered in text order so that the numbering does not depend on the
    order of the rows."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ad_doc_of AS
        SELECT id AS ad, postedAt AS posted, location, language, platform, kind,
               trim(regexp_replace(lower(concat_ws(' ', title, body)), '{NON_LETTERS}', ' ', 'g'))
                   AS text
        FROM ad WHERE id IS NOT NULL""")
    con.execute("""CREATE OR REPLACE TEMP TABLE ad_doc AS
        SELECT (row_number() OVER (ORDER BY text) - 1)::BIGINT AS doc, text
        FROM (SELECT DISTINCT text FROM ad_doc_of)""")
    con.execute("""CREATE OR REPLACE TEMP TABLE ad_doc_of AS
        SELECT t.* EXCLUDE (text), d.doc FROM ad_doc_of t JOIN ad_doc d USING (text)""")
    ads = con.execute("SELECT count(*) FROM ad_doc_of").fetchone()[0]
    docs = con.execute("SELECT count(*) FROM ad_doc").fetchone()[0]
    return ads, docs


def _shingles(con: duckdb.DuckDBPyConnection, unit: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hashes of every document's shingles, flat, with each document's offset.

    A document shorter than one shingle gives one (padded) shingle, so no list is empty."""
    if unit == "word":
        items = "string_split(text, ' ')"
        parts = ", ".join(f"w[i + {j}]" for j in range(k))
        shingle = f"hash({parts})"
    else:
        items = "text"
        shingle = f"hash(substr(w, i, {k}))"
    table = con.execute(f"""
        SELECT list_transform(range(1, greatest(len(w) - {k} + 2, 2)), i -> {shingle}) AS h
        FROM (SELECT doc, {items} AS w FROM ad_doc) ORDER BY doc""").to_arrow_table()
    column = (
        table.column("h").combine_chunks()
        if table.num_rows
        else pa.array([], pa.list_(pa.uint64()))
    )
    offsets = column.offsets.to_numpy().astype(np.int64)
    hashes = column.values.to_numpy(zero_copy_only=False).astype(np.uint64, copy=False)
    return offsets, hashes


def minhash(offsets: np.ndarray, hashes: np.ndarray, num_perm: int, seed: int = SEED) -> np.ndarray:
    """MinHash signatures, ``uint32[documents, num_perm]``, of the shingle sets given flat.

    Permutation ``p`` maps a shingle hash ``h`` to the top 32 bits of ``a_p * h + b_p`` modulo
    2^64 (multiply-shift hashing, ``a_p`` odd); each document's minimum comes from one
    ``np.minimum.reduceat`` over its offsets. Work is done in slices of documents so that the
    temporary arrays stay small."""
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    docs = len(offsets) - 1
    signature = np.empty((num_perm, docs), dtype=np.uint32)
    step = 8_000_000  # shingles per slice
    start = 0
    while start < docs:
        stop = int(np.searchsorted(offsets, offsets[start] + step, side="right")) - 1
        stop = min(max(stop, start + 1), docs)
        chunk = hashes[offsets[start] : offsets[stop]]
        starts = offsets[start:stop] - offsets[start]
        part = signature[:, start:stop]
        # numpy releases the GIL: the threads share out the permutations
        with ThreadPoolExecutor(THREADS) as pool:
            done = [
                pool.submit(
                    _sign, chunk, starts, mult[t::THREADS], add[t::THREADS], part[t::THREADS]
                )
                for t in range(THREADS)
            ]
        for future in done:
            future.result()  # raises what a thread raised
        start = stop
    return np.ascontiguousarray(signature.T)


def _sign(
    chunk: np.ndarray, starts: np.ndarray, mult: np.ndarray, add: np.ndarray, out: np.ndarray
) -> None:
    """One slice of documents under some permutations: ``out[p]`` = per document, the least
    top half of ``mult[p] * h + add[p]`` over its shingle hashes ``h``."""
    value = np.empty_like(chunk)
    for p in range(len(mult)):
        np.multiply(chunk, mult[p], out=value)
        np.add(value, add[p], out=value)
        np.right_shift(value, np.uint64(32), out=value)
        out[p] = np.minimum.reduceat(value, starts)


def _candidates(
    con: duckdb.DuckDBPyConnection, signature: np.ndarray, bands: int, bucket_cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``a < b`` of documents that share a band value (LSH), in DuckDB."""
    docs, num_perm = signature.shape
    if docs < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = num_perm // bands
    keys = []
    for band in range(bands):
        part = signature[:, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(docs, dtype=np.uint64)
        for row in part.T:  # a polynomial hash of the band's values (collisions only add pairs)
            key = key * np.uint64(0x100000001B3) + row
        keys.append(key)
    table = pa.table(
        {
            "band": pa.array(np.repeat(np.arange(bands, dtype=np.int16), docs)),
            "key": pa.array(np.concatenate(keys)),
            "doc": pa.array(np.tile(np.arange(docs, dtype=np.int64), bands)),
        }
    )
    con.register("ad_band_arrow", table)
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE ad_bands AS
            WITH shared AS (
                SELECT band, key, count(*) AS n FROM ad_band_arrow
                GROUP BY band, key HAVING count(*) > 1)
            SELECT b.band, b.key, b.doc, s.n,
                   row_number() OVER (PARTITION BY b.band, b.key ORDER BY b.doc)
                       AS k
            FROM ad_band_arrow b JOIN shared s USING (band, key)""")
        pairs = con.execute(f"""
            WITH offset_ AS (
                SELECT band, key, doc, k + d AS k2
                FROM (SELECT *, unnest(range(1, CASE WHEN n <= {bucket_cap} THEN n - k + 1
                                                    ELSE least(2, n - k + 1) END)) AS d
                      FROM ad_bands))
            SELECT DISTINCT least(o.doc, b.doc) AS a, greatest(o.doc, b.doc) AS b
            FROM offset_ o JOIN ad_bands b ON b.band = o.band AND b.key = o.key AND b.k = o.k2
            ORDER BY a, b""").to_arrow_table()
    finally:
        con.unregister("ad_band_arrow")
    return pairs["a"].to_numpy(), pairs["b"].to_numpy()


def _groups(
    docs: int, a: np.ndarray, b: np.ndarray, similarity: np.ndarray, resolution: float
) -> np.ndarray:
    """Each document's group: its Leiden community (constant Potts model, similarity as the
    weight); with ``resolution`` 0, its connected component."""
    # igraph reads Python pairs faster than numpy rows
    graph = ig.Graph(n=docs, edges=list(zip(a.tolist(), b.tolist(), strict=True)), directed=False)
    if resolution <= 0:
        return np.asarray(graph.connected_components().membership, dtype=np.int64)
    graph.es["weight"] = similarity
    random.seed(SEED)  # igraph draws from Python's generator
    found = graph.community_leiden(
        objective_function="CPM", weights="weight", resolution=resolution, n_iterations=2
    )
    return np.asarray(found.membership, dtype=np.int64)


def _similarity(signature: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of documents ``a[i]`` and ``b[i]``: the share of equal
    signature values (in slices, so that the gathered rows stay small)."""
    out = np.empty(len(a), dtype=np.float64)
    step = 1_000_000
    for start in range(0, len(a), step):
        x = signature[a[start : start + step]]
        y = signature[b[start : start + step]]
        out[start : start + step] = np.count_nonzero(x == y, axis=1) / signature.shape[1]
    return out


def _strength(
    group: np.ndarray, a: np.ndarray, b: np.ndarray, similarity: np.ndarray
) -> np.ndarray:
    """Per document, the summed similarity of its pairs inside its group."""
    inside = group[a] == group[b]
    return np.bincount(a[inside], similarity[inside], minlength=len(group)) + np.bincount(
        b[inside], similarity[inside], minlength=len(group)
    )


def _write_clusters(
    con: duckdb.DuckDBPyConnection, units: pa.Table, signature: np.ndarray, strength: np.ndarray
) -> tuple[int, int]:
    """``ad_cluster`` from each ad's unit: units of two ads or more, each ad with its estimated
    Jaccard similarity to the unit's representative (its document with the highest summed
    similarity to the rest of its group; ties to the lowest document number)."""
    doc = units["doc"].to_numpy()
    unit = units["unit"].to_numpy()
    if len(unit) == 0:
        rep = np.zeros(0, np.int64)
    else:
        order = np.lexsort((doc, -strength[doc], unit))
        first = np.ones(len(order), dtype=bool)
        first[1:] = unit[order][1:] != unit[order][:-1]
        rep = np.empty(unit.max() + 1, dtype=np.int64)
        rep[unit[order][first]] = doc[order][first]
    similarity = _similarity(signature, doc, rep[unit])
    size = np.bincount(unit, minlength=len(rep))[unit] if len(unit) else np.zeros(0, np.int64)
    keep = size >= 2
    con.register(
        "ad_unit_arrow",
        pa.table(
            {
                "ad": units["ad"].filter(pa.array(keep)),
                "unit": pa.array(unit[keep]),
                "size": pa.array(size[keep].astype(np.int32)),
                "similarity": pa.array(similarity[keep].astype(np.float64)),
            }
        ),
    )
    try:
        con.execute("""CREATE OR REPLACE TABLE ad_cluster AS
            SELECT ad, 'tc-' || left(md5(min(ad) OVER (PARTITION BY unit)), 12) AS cluster,
                   size, similarity
            FROM ad_unit_arrow ORDER BY cluster, ad""")
    finally:
        con.unregister("ad_unit_arrow")
    return len(np.unique(unit[keep])), int(keep.sum())
