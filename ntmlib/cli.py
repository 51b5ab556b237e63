"""The `ntm` command: validate, report, batch and the yearly routines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .errors import NtmError


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, help="reporting year, e.g. 2023")
    p.add_argument("--unit", "--district", dest="district", required=True,
                   help="unit id (tra-cu, xa-tra-cu, vinh-long) or official code (849, 29461)")
    p.add_argument("--data-dir", type=Path, default=None, help="data folder (default: data/)")


def cmd_validate(args: argparse.Namespace) -> int:
    from .dataset import load_unit

    result = load_unit(args.year, args.district, args.data_dir)
    for f in result.findings:
        print(f)
    n_err, n_warn = len(result.errors), len(result.warnings)
    print(f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning"
          f"{'s' if n_warn != 1 else ''}.")
    return 1 if n_err else 0


def cmd_schema_doc(args: argparse.Namespace) -> int:
    from .schema import schema_markdown

    print(schema_markdown(), end="")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .runner import run_report

    formats = tuple(x.strip() for x in args.formats.split(",") if x.strip())
    outcome = run_report(args.year, args.district, data_dir=args.data_dir,
                         out_dir=args.out_dir, formats=formats)
    print(outcome.summary())
    return 0 if outcome.ok else 1


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch, summary_table

    if args.districts and args.province:
        raise NtmError("Give --districts or --province, not both")
    formats = tuple(x.strip() for x in args.formats.split(",") if x.strip())
    result = run_batch(
        args.year,
        districts=[d for d in (args.districts or "").split(",") if d.strip()] or None,
        province=args.province, level=args.level, data_dir=args.data_dir, out_dir=args.out_dir,
        workers=args.workers, scheduler=args.scheduler, force=args.force,
        only_failed=args.only_failed, formats=formats, summary=not args.no_summary,
    )
    print(summary_table(result.results))
    if result.summary_status:
        print(f"province summary: {result.summary_status}")
    print(f"manifest: {result.manifest}\nindex: {result.index}")
    return 0 if result.ok and result.summary_status in ("", "ok") else 1


def cmd_new_year(args: argparse.Namespace) -> int:
    from .batch import districts_with_data
    from .yearly import new_year

    root = (args.data_dir or None)
    from . import config

    districts = [args.district] if args.district else districts_with_data(
        args.from_year, (root or config.data_dir()).resolve())
    for d in districts:
        made = new_year(args.from_year, args.to, d, root)
        print(f"Created {made.folder}. To fill in:")
        for item in made.todo:
            print(f"  - {item}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .yearly import make_template

    made = make_template(args.year, args.district, args.out, args.data_dir, force=args.force)
    print(made.path)
    if made.backup:
        print(f"The previous file is kept as {made.backup}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .errors import DataValidationError
    from .yearly import import_workbook

    try:
        done = import_workbook(args.workbook, args.year, args.district, args.data_dir,
                               force=args.force)
    except DataValidationError as exc:
        for f in exc.findings:
            print(f)
        print(f"Not imported: {sum(f.severity == 'error' for f in exc.findings)} error(s).")
        return 1
    for f in done.result.warnings:
        print(f)
    print(f"Imported into {done.folder}" + (f"; previous data kept in {done.backup}"
                                             if done.backup else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntm", description="NTM annual district reports")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a district's data and print the findings")
    _add_common(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("report", help="render a district's report (HTML, PDF, notebook)")
    _add_common(p)
    p.add_argument("--out-dir", type=Path, default=None, help="outputs folder (default: outputs/)")
    p.add_argument("--formats", default=",".join(config.DEFAULT_FORMATS),
                   help="comma-separated: " + ",".join(config.FORMATS))
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("batch", help="render every district of a year, in parallel")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--units", "--districts", dest="districts",
                   help="comma-separated unit ids (default: all with data)")
    p.add_argument("--province", help="only the units of this province (id or code)")
    p.add_argument("--level", choices=("district", "commune"),
                   help="units to render (default: district until 2025, commune from 2026)")
    p.add_argument("--workers", type=int, default=2, help="parallel processes (default 2)")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786), or 'local' "
                   "for a local Dask cluster")
    p.add_argument("--force", action="store_true", help="render even unchanged districts")
    p.add_argument("--only-failed", action="store_true", help="retry last run's failures")
    p.add_argument("--no-summary", action="store_true", help="skip the province summary")
    p.add_argument("--data-dir", type=Path, default=None, help="data folder (default: data/)")
    p.add_argument("--out-dir", type=Path, default=None, help="outputs folder (default: outputs/)")
    p.add_argument("--formats", default=",".join(config.DEFAULT_FORMATS),
                   help="comma-separated: " + ",".join(config.FORMATS))
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("new-year", help="start a year's data from the previous year's")
    p.add_argument("--from", dest="from_year", type=int, required=True)
    p.add_argument("--to", type=int, required=True)
    p.add_argument("--district", help="one district (default: every district with data)")
    p.add_argument("--data-dir", type=Path, default=None)
    p.set_defaults(func=cmd_new_year)

    p = sub.add_parser("template", help="write the Excel input form of a district and year")
    _add_common(p)
    p.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    p.add_argument("--force", action="store_true",
                   help="replace an existing file (it is kept as FILE.bak-<date>-<time>)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="validate a filled Excel form and store it as data")
    p.add_argument("workbook", type=Path)
    _add_common(p)
    p.add_argument("--force", action="store_true", help="replace existing data (kept as backup)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("schema-doc", help="print the data model as Markdown")
    p.set_defaults(func=cmd_schema_doc)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NtmError as exc:
        print(f"ntm: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
