"""``invert ads``: read the ads, list who posts them, show one ad or one poster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from invert.cli.common import CaseDir, console, progress_line, user_errors
from invert.errors import InvertError

app = typer.Typer(
    help="Online ads: what they say and offer, their templates, and who posts them.",
    no_args_is_help=True,
)


def _need_stage(con, case_dir) -> None:  # type: ignore[no-untyped-def]
    from invert.workspace import has_table

    if not has_table(con, "ad_poster_profile"):
        raise InvertError(
            f"the ads of {case_dir} have not been read; run: invert ads run {case_dir}"
        )


@app.command("run")
def run(
    case_dir: CaseDir,
    lexicons: Annotated[
        list[Path] | None,
        typer.Option(help="A folder of your own lexicon files (<lang>.yml); repeat for more."),
    ] = None,
) -> None:
    """Read every ad (language, contacts, pay, wording), then group them by template and by
    poster. Run it after ingesting ads and before `invert network build` and `invert analyze`."""
    from invert.ads.stage import run as run_stage
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with progress_line() as step:
            r = run_stage(ws, lexicons, progress=step)
    table = Table(title=f"Ads of {ws.name}: {r.ads:,} read")
    table.add_column("found")
    table.add_column("", justify="right")
    for key, value in r.counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    console.print(table)
    console.print(
        f"{r.seconds['extract']:.1f} s reading, {r.seconds['cluster']:.1f} s clustering. "
        f"Next: invert network build {case_dir}; invert analyze {case_dir}"
    )


@app.command("posters")
def posters(
    case_dir: CaseDir,
    top: Annotated[int, typer.Option(help="How many posters to show.")] = 20,
) -> None:
    """Posters (ads tied by a contact or a template) ranked by their riskiest ad."""
    from invert.workspace import Workspace, has_table

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            _need_stage(con, case_dir)
            scored = has_table(con, "score")
            risk = (
                "(SELECT max(s.probability) FROM score s JOIN ad_poster q "
                "ON s.list = 'ad' AND s.subject_id = q.ad WHERE q.poster = p.poster)"
                if scored
                else "NULL::DOUBLE"
            )
            rows = con.execute(
                f"""SELECT p.poster, p.ads, p.first_posted::DATE, p.last_posted::DATE,
                           list_transform(p.cities[:4], c -> c.city),
                           list_transform(p.languages, x -> x.language), p.contacts[:4],
                           {risk} AS risk
                    FROM ad_poster_profile p WHERE p.ads >= 2
                    ORDER BY risk DESC NULLS LAST, p.ads DESC, p.poster LIMIT ?""",
                [top],
            ).fetchall()
    table = Table(title=f"Posters in {ws.name}")
    for col in ("poster", "ads", "from", "to", "cities", "languages", "contacts", "p"):
        table.add_column(col, justify="right" if col in ("ads", "p") else "left")
    for poster, n, first, last, cities, langs, contacts, risk in rows:
        table.add_row(
            poster,
            str(n),
            str(first),
            str(last),
            ", ".join(cities),
            ", ".join(langs),
            "\n".join(contacts),
            f"{risk:.2f}" if risk is not None else "",
        )
    console.print(table if rows else "No poster has two ads or more.")


@app.command("show")
def show(
    case_dir: CaseDir,
    ad_or_poster: Annotated[str, typer.Argument(help="An ad id, or a poster id (po-...).")],
) -> None:
    """One ad (what was read from it, its template and poster) or one poster (its profile,
    templates and ads)."""
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            _need_stage(con, case_dir)
            poster = ad_or_poster
            if not ad_or_poster.startswith("po-"):
                _show_ad(con, ad_or_poster)
                found = con.execute(
                    "SELECT poster FROM ad_poster WHERE ad = ?", [ad_or_poster]
                ).fetchone()
                if found is None:
                    return
                poster = found[0]
            _show_poster(con, poster)


def _show_ad(con, ad_id: str) -> None:  # type: ignore[no-untyped-def]
    row = con.execute(
        """SELECT a.title, a.url, a.platform, a.postedAt, t.language, t.pay_amount,
                  t.pay_currency, t.pay_period, t.pay_hourly_eur, t.occupation,
                  t.dest_city, t.dest_country, t.employer_name, a.source_id, a.source_row
           FROM ad a LEFT JOIN ad_text t ON t.ad = a.id WHERE a.id = ?""",
        [ad_id],
    ).fetchone()
    if row is None:
        raise InvertError(f"no ad {ad_id!r}; `invert leads CASE_DIR --subject ad` lists ads")
    (
        title,
        url,
        platform,
        posted,
        lang,
        amount,
        cur,
        period,
        hourly,
        job,
        city,
        country,
        employer,
        source,
        source_row,
    ) = row
    console.print(f"[bold]{title}[/]  ({ad_id})")
    console.print(f"  {platform}, posted {posted}: {url}")
    console.print(f"  source {source}, row {source_row}; language {lang}")
    if amount is not None:
        console.print(f"  pay {amount} {cur} per {period} (≈ {hourly or 0:.2f} EUR an hour)")
    console.print(
        f"  job {job or '?'} in {city or '?'}, {country or '?'}; employer {employer or 'not named'}"
    )
    for kind, value, raw, hidden in con.execute(
        "SELECT kind, value, raw, obfuscated FROM ad_contact WHERE ad = ? ORDER BY kind, value",
        [ad_id],
    ).fetchall():
        note = f' written "{raw}"' + (" to dodge scrapers" if hidden else "") if raw else ""
        console.print(f"  {kind} {value}{note}")
    cues = con.execute(
        "SELECT cue, string_agg(DISTINCT phrase, ' | ') FROM ad_cue WHERE ad = ? GROUP BY cue "
        "ORDER BY cue",
        [ad_id],
    ).fetchall()
    for cue, phrases in cues:
        console.print(f"  says ({cue}): {phrases}")


def _show_poster(con, poster: str) -> None:  # type: ignore[no-untyped-def]
    from invert.ads.template import template_of

    row = con.execute(
        """SELECT ads, first_posted, last_posted, cities, languages, contacts, platforms,
                  text_clusters, ads_per_30_days FROM ad_poster_profile WHERE poster = ?""",
        [poster],
    ).fetchone()
    if row is None:
        raise InvertError(f"no poster {poster!r}; `invert ads posters CASE_DIR` lists them")
    ads, first, last, cities, langs, contacts, platforms, clusters, rate = row
    console.print(
        f"\n[bold]Poster {poster}[/]: {ads} ads in {clusters} template(s) from {first} to "
        f"{last} ({rate:.1f} per 30 days)"
    )
    console.print("  cities: " + ", ".join(f"{c['city']} ({c['ads']})" for c in cities))
    console.print("  languages: " + ", ".join(f"{x['language']} ({x['ads']})" for x in langs))
    console.print("  contacts: " + ", ".join(contacts))
    console.print("  platforms: " + ", ".join(platforms))
    for (cluster,) in con.execute(
        """SELECT DISTINCT k.cluster FROM ad_poster p JOIN ad_cluster k USING (ad)
           WHERE p.poster = ? ORDER BY 1 LIMIT 5""",
        [poster],
    ).fetchall():
        found = template_of(con, cluster)
        if found:
            console.print(f"  template {cluster} ({found.members} ads aligned): {found.template}")
            for slot in found.slots:
                console.print(f"    {{{slot['position']}}}: " + " | ".join(slot["values"]))
