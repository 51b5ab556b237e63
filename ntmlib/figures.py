"""Figures that describe themselves: every number of a report is a `Figure` with a stable key,
its value, how it prints, where its inputs come from (data cells or other figures) and a
one-line derivation with the actual numbers ("880 / 947 × 100 = 92,93 (làm tròn nửa lên)").

The builder methods of `Figures` are the only way figures are made, so every figure carries
its derivation and sources. Keys are literal in the code; a part taken from the data (a topic
id, a commune code) is written in brackets: `training.classes[ocop]`, `households.rate[29461]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

import pandas as pd

from .formatting import fmt_count, fmt_number, fmt_percent, percent

HALF_UP = "làm tròn nửa lên"
_BRACKETS = re.compile(r"\[[^\]]*\]")
MAX_TERMS = 24  # terms written out in a derivation before it is cut


@dataclass
class Figure:
    """One number of the report and everything needed to check it."""

    key: str
    value: int | float | list | None
    kind: str  # count | int | money | percent | quantity | year | number | list
    label: str
    unit: str = ""
    places: int | None = None  # decimals printed (money, numbers); None: as the kind prints
    derivation: str = ""
    sources: list[dict] = field(default_factory=list)  # data cells: file, sheet, column, rows
    inputs: list[str] = field(default_factory=list)  # keys of the figures it is made from
    section: str = ""
    reconstructed: bool = False  # made from reconstructed inputs the source does not confirm
    used_in: list[dict] = field(default_factory=list)  # filled when the document is rendered
    # a ratio before its rounding to two places: a source's 93,4 % is checked against
    # 93,448 %, not against 93,45 % rounded again (93,5); not recorded in figures.json
    exact: float | None = field(default=None, repr=False, compare=False)

    @property
    def unrounded(self) -> object:
        """The value before the report's rounding (a ratio's exact quotient), else the value."""
        return self.exact if self.exact is not None and self.value is not None else self.value

    @property
    def pattern(self) -> str:
        """The key with its data parts as […]: what a search of the code finds."""
        return _BRACKETS.sub("[…]", self.key)

    def text(self, unit: bool = True, padded: bool = True) -> str:
        """The figure as the report prints it (a quantity with its unit, unless `unit` is
        False); `padded=False` prints a count as a table column does ('8', not the text's
        '08', so that a column reads alike from its rows to its total)."""
        v = self.value
        if v is None:
            return "—"
        if self.kind == "list":
            return ",".join(str(x) for x in v)
        if self.kind == "label":
            return str(v)
        if self.kind == "count":
            return fmt_count(v) if padded else fmt_number(int(v))
        if self.kind == "percent":
            return fmt_percent(v)
        if self.kind in ("year", "int"):
            return str(int(v))
        printed = fmt_number(v, self.places if self.places is not None else 2)
        if self.kind == "quantity" and self.unit and unit:
            return f"{printed} {self.unit}"
        return printed

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["exact"]
        out["printed"] = self.text()
        out["pattern"] = self.pattern
        return out


def _clean(value: object) -> int | float | list | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, list):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


# a recorded number beyond this is no figure of a report (money is in millions of đồng)
MAX_RECORDED = 1e15


def recorded_number(value: object) -> bool:
    """Whether a recorded value is a number a report prints (not a boolean, finite, within
    MAX_RECORDED)."""
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and abs(value) < MAX_RECORDED  # NaN fails too


def recorded_places(places: object) -> bool:
    """Whether a recorded number of decimals is one a report prints with (none, or 0-10)."""
    return places is None or (type(places) is int and 0 <= places <= 10)


def recorded_problem(figures: object) -> str | None:
    """The key of the first figure of a recorded figures.json that this code cannot use as
    it wrote it (a file edited by hand or damaged): a value of another type than its kind,
    a number not finite or beyond MAX_RECORDED, decimals that are not a small whole number.
    "" when `figures` is not a table of figures at all; None when every figure is sound."""
    if not isinstance(figures, dict):
        return ""

    def items(v) -> bool:  # a list figure: criteria numbers, names
        return isinstance(v, list) and all(recorded_number(x) or isinstance(x, str) for x in v)

    for key, fig in figures.items():
        # a figure is recorded as {"value": …, "kind": …}; a value alone (a figures.json
        # written by hand) is a number or a list
        value, kind, places = (fig.get("value"), fig.get("kind"), fig.get("places")) \
            if isinstance(fig, dict) else (fig, None, None)
        if kind == "list":
            sound = value is None or items(value)
        elif kind == "label":
            sound = value is None or isinstance(value, str)
        elif kind is None:
            sound = value is None or recorded_number(value) or items(value)
        else:
            sound = value is None or recorded_number(value)
        if not sound or not recorded_places(places):
            return str(key)
    return None


def places_of(value: float | int | None, cap: int = 3) -> int:
    """Decimals a typed value has (4095.68 -> 2), at most `cap`."""
    if value is None or float(value).is_integer():
        return 0
    text = f"{float(value):.{cap}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def num(value: float | int | None) -> str:
    """A value as a derivation writes it: Vietnamese format, full precision."""
    return "—" if value is None else fmt_number(value, 3)


class Figures:
    """An ordered registry of figures, addressable by key, with the builders that make them.

    `data` (a DistrictData) gives the builders the tables, their files and which cells are
    reconstructed; `section` names the report section the figures are computed for.
    """

    def __init__(self, data=None, section: str = "", money_places: int | None = None) -> None:
        self._items: dict[str, Figure] = {}
        self.data = data
        self.section = section
        if money_places is None and data is not None:
            money_places = data.money_places
        self.money_places = 1 if money_places is None else money_places

    # -- the registry ---------------------------------------------------------------------

    def put(self, fig: Figure) -> Figure:
        if not fig.section:
            fig.section = self.section
        if isinstance(fig.value, float) and fig.kind in ("count", "int", "year") \
                and fig.value.is_integer():
            fig.value = int(fig.value)
        if fig.key in self._items:  # two figures under one key: the first would be lost
            raise ValueError(f"figure {fig.key} is made twice")
        self._items[fig.key] = fig
        return fig

    def __iadd__(self, other: Figures) -> Figures:
        twice = sorted(set(self._items) & set(other._items))
        if twice:  # a section that remakes another's figure: the first would be lost
            raise ValueError(f"figure {twice[0]} is made twice")
        self._items.update(other._items)
        return self

    def take(self, other: Figures) -> Figures:
        """Add `other`'s figures and return them (for display in the notebook)."""
        self += other
        return other

    def __getitem__(self, key: str) -> Figure:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Figure]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def get(self, key: str) -> Figure | None:
        return self._items.get(key)

    def value(self, key: str):
        return self._items[key].value

    def text(self, key: str) -> str:
        return self._items[key].text()

    def subset(self, keys: Iterable[str]) -> Figures:
        out = Figures(self.data, self.section, self.money_places)
        for k in keys:
            if k in self._items:
                out._items[k] = self._items[k]
        return out

    def to_dict(self) -> dict[str, float | int | list | None]:
        return {k: f.value for k, f in self._items.items()}

    def records(self) -> dict[str, dict]:
        """Every figure with its label, value, printed form, unit, derivation, sources,
        inputs, section and the sentences that use it (what figures.json holds)."""
        return {k: f.to_dict() for k, f in self._items.items()}

    def frame(self) -> pd.DataFrame:
        """The figures as a table (for display in the notebook)."""
        return pd.DataFrame(
            [(f.key, f.label, f.text(), f.derivation) for f in self],
            columns=["khóa", "nội dung", "số in", "cách tính"]).set_index("khóa")

    def _repr_html_(self) -> str:
        from .review import figures_table

        return figures_table(self)

    # -- builders -------------------------------------------------------------------------------

    def source_of(self, table: str, rows: Iterable[int], column: str | None) -> dict:
        """Where cells of a table come from: file (relative to the data folder), sheet,
        column, rows."""
        data = self.data
        info = data.table_files.get(table, {}) if data is not None else {}
        return {"file": info.get("file", f"{table}.csv"), "sheet": info.get("sheet"),
                "column": column, "rows": sorted(int(r) for r in rows)}

    def _reconstructed(self, table: str, rows: Iterable[int], column: str | None) -> bool:
        return self.data is not None and any(
            self.data.is_reconstructed(table, r, column) for r in rows)

    def _money_places(self, kind: str, value, typed: bool) -> int | None:
        if kind not in ("money", "number", "quantity"):
            return None
        return places_of(value) if typed else self.money_places if kind == "money" else 2

    def cell(self, key: str, table: str, row: int, column: str, *, label: str, kind: str,
             unit: str = "") -> Figure:
        """A value exactly as the data gives it (row: the file's row number)."""
        value = _clean(self.data.tables[table].at[row, column])
        src = self.source_of(table, [row], column)
        where = f"{src['file']}" + (f", trang {src['sheet']}" if src["sheet"] else "")
        return self.put(Figure(
            key, value, kind, label, unit, self._money_places(kind, value, True),
            # a year is written as a year (2026), not as a number (2.026)
            f"số liệu nhập: {where}, dòng {row}, cột {column} = "
            f"{value if kind == 'year' and value is not None else num(value)}", [src],
            reconstructed=self._reconstructed(table, [row], column)))

    def given(self, key: str, value, *, kind: str, label: str, derivation: str,
              unit: str = "", sources: list[dict] | None = None, inputs: list[str] | None = None,
              reconstructed: bool = False, places: int | None = None) -> Figure:
        """A value whose derivation is stated by the caller (a count of units in the reference
        data, the reporting year, last year's recorded figure ...)."""
        value = _clean(value)
        if places is None:
            places = self._money_places(kind, value, False)
        return self.put(Figure(key, value, kind, label, unit, places, derivation,
                               list(sources or []), list(inputs or []),
                               reconstructed=reconstructed))

    def column_sum(self, key: str, table: str, column: str, rows: Iterable[int] | None = None,
                   *, label: str, kind: str, unit: str = "", what: str = "") -> Figure:
        """The sum of a column over some rows of a table (all rows when `rows` is None).
        A blank cell is not a zero: with one, the sum is unknown (None), and its derivation
        says how many cells are blank (validation requires most summed columns)."""
        frame = self.data.tables[table]
        rows = list(frame.index if rows is None else rows)
        values = [_clean(frame.at[r, column]) for r in rows]
        present = [v for v in values if v is not None]
        blank = len(values) - len(present)
        total = None if blank else (sum(present) if present else 0)
        terms = " + ".join(num(v) for v in present[:MAX_TERMS])
        if len(present) > MAX_TERMS:
            terms += f" + … ({len(present)} số hạng)"
        cond = f" ({what})" if what else ""
        if blank:
            derivation = (f"tổng cột {column} của {table}{cond}: {blank}/{len(values)} ô chưa "
                          "có số liệu, chưa tính được tổng")
        elif present:
            derivation = f"tổng cột {column} của {table}{cond}: {terms} = {num(total)}"
        else:
            derivation = f"tổng cột {column} của {table}{cond}: không có dòng nào = 0"
        return self.put(Figure(
            key, total, kind, label, unit, self._money_places(kind, total, False), derivation,
            [self.source_of(table, rows, column)],
            reconstructed=self._reconstructed(table, rows, column)))

    def count_rows(self, key: str, table: str, rows: Iterable[int], *, label: str,
                   condition: str, kind: str = "count", distinct: str | None = None,
                   on: tuple[str, ...] | None = None) -> Figure:
        """How many rows of a table meet a condition (or how many distinct values of the
        column `distinct` they hold). `on` names the columns the condition reads: the count
        is a reconstruction only if one of those cells is (default: any cell of the rows)."""
        rows = list(rows)
        frame = self.data.tables[table]
        if distinct:
            n = len({frame.at[r, distinct] for r in rows})
            derivation = (f"đếm các giá trị khác nhau của cột {distinct} trong các dòng của "
                          f"{table} có {condition}: {n}")
        else:
            n = len(rows)
            derivation = f"đếm các dòng của {table} có {condition}: {n}"
        columns = on if on is not None else ((distinct,) if distinct else (None,))
        # where the count looked, even when it found nothing
        return self.put(Figure(key, n, kind, label, "", None, derivation,
                               [self.source_of(table, rows, distinct or (on or (None,))[0])],
                               reconstructed=any(self._reconstructed(table, rows, c)
                                                 for c in columns)))

    def total(self, key: str, parts: list[str], *, label: str, kind: str,
              unit: str = "") -> Figure:
        """The sum of other figures."""
        figs = [self.lookup(k) for k in parts]
        values = [f.value for f in figs if f.value is not None]
        total = sum(values) if values else 0
        derivation = " + ".join(num(v) for v in values[:MAX_TERMS])
        if len(values) > MAX_TERMS:
            derivation += f" + … ({len(values)} số hạng)"
        derivation = f"{derivation} = {num(total)}" if values else "không có số hạng nào = 0"
        if len(parts) == 1 and len(values) == 1:  # "27.071 = 27.071" said nothing: name it
            derivation = f"bằng {parts[0]}: {num(total)}"
        # a sum of one term is that term, printed as it is (a source given as one typed line)
        places = figs[0].places if len(figs) == 1 and figs[0].value is not None else \
            self._money_places(kind, total, False)
        return self.put(Figure(key, total, kind, label, unit, places, derivation, [],
                               list(parts), reconstructed=any(f.reconstructed for f in figs)))

    def ratio(self, key: str, numerator: str, denominator: str, *, label: str) -> Figure:
        """numerator / denominator in percent, rounded half up to two decimals; None (printed
        '—') when the denominator is 0 or missing."""
        n, d = self.lookup(numerator), self.lookup(denominator)
        value = None if n.value is None or not d.value else percent(n.value, d.value)
        if value is None:
            why = "chưa có số liệu" if n.value is None or d.value is None else "mẫu số bằng 0"
            derivation = f"{num(n.value)} / {num(d.value)}: không tính được ({why})"
        else:
            derivation = (f"{num(n.value)} / {num(d.value)} × 100 = {fmt_percent(value)} "
                          f"({HALF_UP})")
        return self.put(Figure(key, value, "percent", label, "%", None, derivation, [],
                               [numerator, denominator],
                               reconstructed=n.reconstructed or d.reconstructed,
                               exact=None if value is None else 100 * n.value / d.value))

    def difference(self, key: str, a: str, b: str, *, label: str, kind: str,
                   unit: str = "") -> Figure:
        fa, fb = self.lookup(a), self.lookup(b)
        value = None if fa.value is None or fb.value is None else fa.value - fb.value
        derivation = f"{num(fa.value)} − {num(fb.value)} = {num(value)}"
        return self.put(Figure(key, value, kind, label, unit,
                               self._money_places(kind, value, False), derivation, [], [a, b],
                               reconstructed=fa.reconstructed or fb.reconstructed))

    def listing(self, key: str, items: list, *, label: str, derivation: str,
                sources: list[dict] | None = None, inputs: list[str] | None = None) -> Figure:
        """A list of numbers printed as '5,6,7,8,9' (criteria numbers)."""
        return self.put(Figure(key, list(items), "list", label, "", None, derivation,
                               list(sources or []), list(inputs or [])))

    def lookup(self, key: str) -> Figure:
        """A figure of this builder, or of the registry it is being added to."""
        if key in self._items:
            return self._items[key]
        if self.parent is not None and key in self.parent:
            return self.parent[key]
        raise KeyError(key)

    parent: Figures | None = None

    def child(self, section: str) -> Figures:
        """A builder for one section that can use the figures already computed here."""
        out = Figures(self.data, section, self.money_places)
        out.parent = self
        return out
