"""The `ntm` command: validate, report, batch and the yearly routines.

What it prints is for analysts, in Vietnamese unless `--lang en` (or NTM_LANG=en): one
sentence per problem, no traceback. Exit status: 0 done; 1 the data has errors or a report
failed; 2 the command cannot be carried out as given (a misspelt unit, year, parameter or
option); 130 stopped with Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, config, i18n
from .errors import NtmError
from .i18n import N_, _

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# argparse's own words, so that its help and errors read in the user's language too
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("the following arguments are required: %s"),
    N_("%(prog)s: error: %(message)s\n"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("expected one argument"),
    N_("argument %(argument_name)s: %(message)s"), N_("show program's version number and exit"),
    N_("not allowed with argument %s"), N_("ambiguous option: %(option)s could match %(matches)s"),
)


def _epilog() -> str:
    return _("Exit status: 0 done; 1 the data has errors or a report failed; 2 the command "
             "cannot be carried out as given (unknown unit, year, parameter or option); "
             "130 stopped with Ctrl+C.")


def _progress(args: argparse.Namespace) -> bool:
    """Progress bars only for a person watching: not with --quiet, not into a log file."""
    return not args.quiet and sys.stderr.isatty()


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    from .runner import check_formats

    formats = tuple(x.strip() for x in args.formats.split(",") if x.strip())
    check_formats(formats)
    return formats


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text)


# -- parameters ----------------------------------------------------------------------------


def notebook_parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters of `--params-file` and `-p KEY VALUE` (the latter win), each
    value read as YAML (so 2024 is a number and "roman" a text)."""
    import yaml

    params: dict = {}
    if args.params_file:
        try:
            loaded = yaml.safe_load(Path(args.params_file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NtmError(_("The parameters file {file} does not exist.")
                           .format(file=args.params_file)) from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise NtmError(_("The parameters file {file} is not valid YAML: {error}")
                           .format(file=args.params_file, error=str(exc).splitlines()[0])) \
                from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise NtmError(_("The parameters file {file} must hold lines of the form "
                             "'name: value'.").format(file=args.params_file))
        params.update({str(k): v for k, v in loaded.items()})
    for key, raw in args.param or []:
        try:
            params[key] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            params[key] = raw
    return params


# -- commands ------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from .dataset import load_unit

    result = load_unit(args.year, args.district, args.data_dir)
    for f in result.findings:
        print(f)
    print(_("{errors} error(s), {warnings} warning(s).").format(
        errors=len(result.errors), warnings=len(result.warnings)))
    return EXIT_FAILED if result.errors else EXIT_OK


def cmd_schema_doc(args: argparse.Namespace) -> int:
    from .schema import schema_markdown

    print(schema_markdown(), end="")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .runner import run_report

    outcome = run_report(args.year, args.district, data_dir=args.data_dir,
                         out_dir=args.out_dir, formats=_formats(args),
                         extra_parameters=notebook_parameters(args), timeout=args.timeout,
                         progress=_progress(args))
    if outcome.ok:
        _say(args, outcome.summary())
    else:
        print(outcome.summary(), file=sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_FAILED


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch, summary_table

    if args.districts and args.province:
        raise NtmError(_("Give --units or --province, not both."))
    units = [d.strip() for d in (args.districts or "").split(",") if d.strip()]
    if args.districts is not None and not units:  # `--units ""`: not "every unit"
        raise NtmError(_("--units names no unit; give ids separated by commas, e.g. "
                         "tra-cu,cau-ke, or leave the option out for every unit"))
    result = run_batch(
        args.year,
        districts=units or None,
        province=args.province, level=args.level, data_dir=args.data_dir, out_dir=args.out_dir,
        workers=args.workers, scheduler=args.scheduler, force=args.force,
        only_failed=args.only_failed, formats=_formats(args), summary=not args.no_summary,
        timeout=args.timeout, progress=_progress(args),
        extra_parameters=notebook_parameters(args),
    )
    failed = not (result.ok and result.summary_status in ("", "ok"))
    if not args.quiet or failed:
        for unread in result.unread:
            print(_("WARNING: {message}").format(message=unread))
        print(summary_table(result.results))
        if result.summary_status:
            print(_("province report: {status}").format(status=result.summary_status))
        print(_("manifest: {manifest}\nindex: {index}").format(manifest=result.manifest,
                                                              index=result.index))
    return EXIT_FAILED if failed else EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from .batch import units_with_data
    from .dataset import has_data
    from .reference import load_reference
    from .regroup import is_reorganised, new_year_reorganised
    from .yearly import new_year

    root = (args.data_dir or config.data_dir()).resolve()
    ref = load_reference(root)
    if args.district and args.province:
        raise NtmError(_("Give --unit or --province, not both."))
    if args.province:
        level = ref.report_level(args.to)
        province = ref.resolve(args.province, args.to, level="province")
        names = [u.slug for u in ref.units_of_level(level, args.to, province.slug)]
        # and the province's own folder (header, narrative), for the batch's province report
        names += [province.slug] if has_data(root, args.from_year, province) else []
    elif args.district:
        names = [ref.resolve(args.district, args.to).slug]
    else:
        names = units_with_data(args.from_year, root)
    made = skipped = 0

    def report(folder: Path, todo: list[str]) -> None:
        print(_("Created {folder}. To fill in:").format(folder=folder))
        for item in todo:
            print(f"  - {item}")

    regroup = []
    for name in names:
        unit = ref.resolve(name, args.to)
        own = has_data(root, args.from_year, unit)
        if not own and is_reorganised(unit, args.from_year, ref):
            regroup.append(unit.code)
        elif own or not args.province:
            try:
                done = new_year(args.from_year, args.to, unit.slug, root)
            except NtmError as e:
                if len(names) == 1:
                    raise
                # one unit's folder or data never stops the others
                skipped += 1
                print(_("{unit}: not made: {why}").format(unit=unit.name,
                                                          why=_why_not_made(e, unit, args)))
                continue
            made += 1
            report(done.folder, done.todo)
        else:
            skipped += 1
            print(_("{unit}: not made: no {year} data").format(unit=unit.name,
                                                                year=args.from_year))
    for result in new_year_reorganised(args.from_year, args.to, units=regroup,
                                       data_dir=root) if regroup else []:
        if result.folder is None:
            skipped += 1
            print(_("{unit}: not made: {why}").format(unit=result.unit.name,
                                                      why=result.skipped))
        else:
            made += 1
            report(result.folder, result.todo)
    if len(names) > 1:
        print(_("{made} folder(s) created, {skipped} not made.").format(made=made,
                                                                       skipped=skipped))
    return EXIT_OK if made or not names else EXIT_FAILED


def _why_not_made(error: NtmError, unit, args: argparse.Namespace) -> str:
    """A unit's new-year failure in one line: its errors are counted, not listed."""
    from .dataset import errors_in_data
    from .errors import DataValidationError

    if isinstance(error, DataValidationError):
        n = sum(f.severity == "error" for f in error.findings) or 1
        return errors_in_data(n, args.from_year, unit.slug)
    return str(error)


def cmd_template(args: argparse.Namespace) -> int:
    from .yearly import make_template

    made = make_template(args.year, args.district, args.out, args.data_dir, force=args.force)
    print(made.path)
    if made.backup:
        print(_("The previous file is kept as {backup}").format(backup=made.backup))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .errors import DataValidationError
    from .yearly import import_workbook

    try:
        done = import_workbook(args.workbook, args.year, args.district, args.data_dir,
                               force=args.force)
    except DataValidationError as exc:
        for f in exc.findings:
            print(f)
        print(_("Not imported: {errors} error(s).").format(
            errors=sum(f.severity == "error" for f in exc.findings)))
        return EXIT_FAILED
    for f in done.result.warnings:
        print(f)
    if done.backup:
        print(_("Imported into {folder}; previous data kept in {backup}").format(
            folder=done.folder, backup=done.backup))
    else:
        print(_("Imported into {folder}").format(folder=done.folder))
    return EXIT_OK


# -- the parser ----------------------------------------------------------------------------


def _add_unit(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument("--year", type=_year, required=True,
                   help=_("reporting year, e.g. 2023"))
    p.add_argument("--unit", "--district", dest="district", required=required, metavar="UNIT",
                   help=_("unit id (tra-cu, xa-tra-cu, vinh-long) or official code "
                          "(849, 29461)"))
    p.add_argument("--data-dir", type=Path, default=None,
                   help=_("data folder (default: data/)"))


def _add_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out-dir", type=Path, default=None,
                   help=_("outputs folder (default: outputs/)"))
    p.add_argument("--formats", default=",".join(config.DEFAULT_FORMATS),
                   help=_("outputs to make, comma-separated (default: {formats})")
                   .format(formats=",".join(config.DEFAULT_FORMATS)))
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("KEY", "VALUE"),
                   help=_("a notebook parameter, e.g. -p appendix_numbering roman "
                          "(repeatable; checked against the notebook's parameters cell)"))
    p.add_argument("--params-file", type=Path,
                   help=_("a YAML file of notebook parameters (name: value)"))
    p.add_argument("--timeout", type=_positive_int, default=None,
                   help=_("seconds one report may take, validation, notebook and export "
                          "together (default: {seconds})")
                   .format(seconds=config.REPORT_TIMEOUT))


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a year").format(value=text)) \
            from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(_("{value} is not a year between {first} and {last}")
                                         .format(value=text, first=FIRST_YEAR, last=LAST_YEAR))
    return value


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number")
                                         .format(value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("{value} must be more than 0").format(value=text))
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS,
                        help=_("language of messages: vi (default) or en"))
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help=_("print only problems and errors; no progress bars"))
    parser = argparse.ArgumentParser(
        prog="ntm", parents=[common], epilog=_epilog(),
        description=_("Yearly reports of the National Target Programme on New Rural "
                      "Development (NTM) for districts, communes and provinces."))
    parser.add_argument("--version", action="version", version=f"ntm-reports {__version__}",
                        help=_("show program's version number and exit"))
    sub = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=text, description=text,
                              epilog=_epilog())

    p = command("validate", _("check a unit's data for a year and list the findings"))
    _add_unit(p)
    p.set_defaults(func=cmd_validate)

    p = command("report", _("make a unit's report: HTML, PDF, Word, Excel and the notebook"))
    _add_unit(p)
    _add_run(p)
    p.set_defaults(func=cmd_report)

    p = command("batch", _("make the reports of every unit with data for a year, in "
                           "parallel, then the province report"))
    p.add_argument("--year", type=_year, required=True, help=_("reporting year, e.g. 2023"))
    p.add_argument("--units", "--districts", dest="districts",
                   help=_("comma-separated unit ids (default: every unit with data)"))
    p.add_argument("--province", help=_("only the units of this province (id or code)"))
    p.add_argument("--level", choices=("district", "commune"),
                   help=_("units to report on (default: districts until 2025, communes "
                          "from 2026)"))
    p.add_argument("--workers", type=_positive_int, default=None,
                   help=_("reports made at the same time (default: the cores, and one "
                          "more for a batch of 8 units a core or more)"))
    p.add_argument("--scheduler", help=_("Dask scheduler address (tcp://host:8786), or "
                                         "'local' for a Dask cluster on this machine"))
    p.add_argument("--force", action="store_true",
                   help=_("make every report again, even unchanged ones"))
    p.add_argument("--only-failed", action="store_true",
                   help=_("retry only the units that failed last time"))
    p.add_argument("--no-summary", action="store_true",
                   help=_("do not make the province report"))
    p.add_argument("--data-dir", type=Path, default=None,
                   help=_("data folder (default: data/)"))
    _add_run(p)
    p.set_defaults(func=cmd_batch)

    p = command("new-year", _("start a year's data from the previous year's"))
    p.add_argument("--from", dest="from_year", type=_year, required=True,
                   help=_("the year to start from"))
    p.add_argument("--to", type=_year, required=True, help=_("the new year"))
    p.add_argument("--unit", "--district", dest="district", metavar="UNIT",
                   help=_("one unit (default: every unit with data)"))
    p.add_argument("--province", help=_("every unit of this province in the new year; "
                                        "communes formed by a reorganisation take over what "
                                        "persists of the units they were formed from"))
    p.add_argument("--data-dir", type=Path, default=None,
                   help=_("data folder (default: data/)"))
    p.set_defaults(func=cmd_new_year)

    p = command("template", _("write the Excel form of a unit and year"))
    _add_unit(p)
    p.add_argument("--out", type=Path, required=True, help=_("the .xlsx file to write"))
    p.add_argument("--force", action="store_true",
                   help=_("replace an existing file (it is kept as FILE.bak-<date>-<time>)"))
    p.set_defaults(func=cmd_template)

    p = command("import", _("check a filled Excel form and store it as the unit's data"))
    p.add_argument("workbook", type=Path, help=_("the filled .xlsx form"))
    _add_unit(p)
    p.add_argument("--force", action="store_true",
                   help=_("replace existing data (a backup is kept)"))
    p.set_defaults(func=cmd_import)

    p = command("schema-doc", _("print the data model as Markdown (for developers)"))
    p.set_defaults(func=cmd_schema_doc)
    return parser


def _early_language(argv: list[str]) -> None:
    """`--lang` is applied before the parser is built, so that help and errors use it."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else \
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if value in i18n.LANGUAGES:
            i18n.set_language(value)


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # the `ntm` command itself: ends without the interpreter's teardown
        from .kernels import exit_now

        exit_now(main(sys.argv[1:]))
    argv = list(argv)
    _early_language(argv)
    argparse._ = i18n._  # argparse looks its words up at call time
    argparse.ngettext = i18n.ngettext
    args = build_parser().parse_args(argv)
    args.quiet = getattr(args, "quiet", False)
    for name in ("param", "params_file", "timeout"):
        if not hasattr(args, name):
            setattr(args, name, None)
    try:
        return args.func(args)
    except NtmError as exc:
        print(f"ntm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_("ntm: stopped."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # a full disk, a read-only or missing folder: say which, no trace
        where = exc.filename or ""
        print("ntm: " + _("cannot read or write {path}: {error}").format(
            path=where, error=os_error_text(exc)), file=sys.stderr)
        return EXIT_USAGE


def os_error_text(exc: OSError) -> str:
    """Why the system refused, in the user's words for the usual causes (the system's own
    words, in English, otherwise)."""
    import errno

    said = {errno.EACCES: N_("permission denied"), errno.EPERM: N_("not permitted"),
            errno.ENOSPC: N_("the disk is full"), errno.EROFS: N_("the disk is read-only"),
            errno.EEXIST: N_("a file of that name is already there"),
            errno.ENOTDIR: N_("a file stands where a folder is needed"),
            errno.EISDIR: N_("a folder stands where a file is needed"),
            errno.ENOENT: N_("no such file or folder"),
            errno.ELOOP: N_("a link that leads back to itself"),
            errno.ETIMEDOUT: N_("no answer in time")}.get(exc.errno or 0)
    return _(said) if said else str(exc.strerror or exc)


if __name__ == "__main__":
    sys.exit(main())
