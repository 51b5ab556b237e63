"""The report's charts: one style, Vietnamese labels and number format, sized for A4 print.

Each function returns a `Chart` (the matplotlib figure plus its caption); `render` numbers the
charts in the order the report places them and embeds them as PNG.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no screen on servers; the notebook's inline backend still shows them

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .formatting import fmt_number  # noqa: E402
from .indicators import LEVEL_LABELS, LEVELS, SOURCE_LABELS, levels  # noqa: E402
from .model import DistrictData  # noqa: E402

WIDTH_IN = 16.5 / 2.54  # A4 text width: 210 mm less 30 mm and 15 mm margins
GREEN, RED, BLUE, GREY, GOLD = "#2e7d32", "#c62828", "#1f4e79", "#9e9e9e", "#c99a06"
STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib and covers Vietnamese
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "svg.hashsalt": "ntm",
}


@dataclass
class Chart:
    key: str
    caption: str
    figure: plt.Figure

    _png: str | None = None

    def png_base64(self) -> str:
        """The chart as PNG, drawn once (the notebook shows it and the report embeds it)."""
        if self._png is None:
            buf = io.BytesIO()
            # fixed metadata keeps the bytes identical from run to run
            self.figure.savefig(buf, format="png",
                                metadata={"Software": None})
            self._png = base64.b64encode(buf.getvalue()).decode("ascii")
        return self._png

    def _repr_png_(self) -> bytes:
        return base64.b64decode(self.png_base64())


def _vn(x: float, _pos: int | None = None) -> str:
    return fmt_number(x)


def _figure(height_in: float) -> tuple[plt.Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height_in))
    return fig, ax


def criteria_grid(data: DistrictData, set_id: str = "xa_ntm") -> Chart | None:
    """Commune × criterion grid: green achieved, red not."""
    t = data["commune_criteria"]
    t = t[t["set_id"] == set_id]
    if t.empty:
        return None
    numbers = list(data.reference.criteria(set_id, data.period)["number"])
    codes = [c for c in data.rural_communes["code"] if c in set(t["commune_code"])]
    grid = np.zeros((len(codes), len(numbers)))
    for i, code in enumerate(codes):
        g = t[t["commune_code"] == code]
        achieved = dict(zip(g["criterion"].astype(int), g["achieved"].fillna(False),
                            strict=True))
        grid[i] = [1 if achieved.get(n) else 0 for n in numbers]
    with plt.rc_context(STYLE):
        fig, ax = _figure(0.9 + 0.24 * len(codes))
        ax.imshow(grid, cmap=ListedColormap([RED, GREEN]), vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(numbers)), [str(n) for n in numbers])
        ax.set_yticks(range(len(codes)), [data.commune_name(c) for c in codes])
        ax.set_xticks(np.arange(-0.5, len(numbers)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(codes)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        ax.xaxis.tick_top()
        ax.set_xlabel("Tiêu chí")
        ax.xaxis.set_label_position("top")
        for spine in ax.spines.values():
            spine.set_visible(False)
        handles = [plt.Rectangle((0, 0), 1, 1, color=GREEN), plt.Rectangle((0, 0), 1, 1,
                                                                            color=RED)]
        ax.legend(handles, ["Đạt", "Chưa đạt"], loc="upper center", ncol=2, frameon=False,
                  bbox_to_anchor=(0.5, -0.02))
        fig.tight_layout()
    name = "xã nông thôn mới" if set_id == "xa_ntm" else "xã nông thôn mới nâng cao"
    return Chart(f"criteria_grid_{set_id}", f"Kết quả thực hiện các tiêu chí {name} theo "
                 f"từng xã năm {data.year}", fig)


def levels_comparison(data: DistrictData) -> Chart:
    """Communes by criteria level, end of last year against now."""
    now = levels(data)
    before = levels(data.previous) if data.previous is not None else None
    labels = [LEVEL_LABELS[k].replace("đạt ", "") for k, _, _ in LEVELS]
    x = np.arange(len(labels))
    with plt.rc_context(STYLE):
        fig, ax = _figure(2.6)
        w = 0.38
        if before is not None:
            b1 = ax.bar(x - w / 2, [before[k] for k, _, _ in LEVELS], w, color=GREY,
                        label=f"31/12/{data.year - 1}")
            ax.bar_label(b1, labels=[str(before[k]) for k, _, _ in LEVELS], padding=2)
        b2 = ax.bar(x + (w / 2 if before is not None else 0), [now[k] for k, _, _ in LEVELS],
                    w, color=BLUE, label=f"31/12/{data.year}")
        ax.bar_label(b2, labels=[str(now[k]) for k, _, _ in LEVELS], padding=2)
        ax.set_xticks(x, labels)
        ax.set_ylabel("Số xã")
        ax.yaxis.set_major_formatter(FuncFormatter(_vn))
        ax.set_ylim(0, max([*now.values(), *(before or {}).values(), 1]) * 1.2)
        ax.legend(frameon=False)
        fig.tight_layout()
    caption = (f"Số xã theo mức độ đạt tiêu chí nông thôn mới, năm {data.year - 1} và năm "
               f"{data.year}" if before is not None else
               f"Số xã theo mức độ đạt tiêu chí nông thôn mới năm {data.year}")
    return Chart("levels", caption, fig)


def funds_by_source(data: DistrictData) -> Chart:
    t = data["funds"]
    sums = t.groupby("source", sort=False)["amount"].sum()
    labels = [SOURCE_LABELS[s] for s in sums.index]
    with plt.rc_context(STYLE):
        fig, ax = _figure(0.6 + 0.4 * len(sums))
        bars = ax.barh(labels[::-1], list(sums.values[::-1]), color=BLUE)
        ax.bar_label(bars, labels=[fmt_number(v) for v in sums.values[::-1]], padding=3)
        ax.xaxis.set_major_formatter(FuncFormatter(_vn))
        ax.set_xlabel("Triệu đồng")
        ax.set_xlim(0, float(sums.max()) * 1.2)
        fig.tight_layout()
    return Chart("funds", f"Nguồn vốn huy động năm {data.year} theo nguồn", fig)


def models_disbursement(data: DistrictData) -> Chart:
    m = data["production_models"]
    names = [_wrap(n, 42) for n in m["name"]][::-1]
    y = np.arange(len(m))
    alloc = m["allocated"].astype(float).to_numpy()[::-1]
    disb = m["disbursed"].astype("Float64").fillna(0).astype(float).to_numpy()[::-1]
    with plt.rc_context(STYLE):
        fig, ax = _figure(0.9 + 0.55 * len(m))
        h = 0.38
        b1 = ax.barh(y + h / 2, alloc, h, color=GREY, label="Vốn bố trí")
        b2 = ax.barh(y - h / 2, disb, h, color=GREEN, label="Đã giải ngân")
        ax.bar_label(b1, labels=[fmt_number(v) for v in alloc], padding=2, fontsize=8)
        ax.bar_label(b2, labels=[fmt_number(v) if not pd.isna(d) else "chưa có số liệu"
                                 for v, d in zip(disb, m["disbursed"][::-1], strict=True)],
                     padding=2, fontsize=8)
        ax.set_yticks(y, names, fontsize=8)
        ax.xaxis.set_major_formatter(FuncFormatter(_vn))
        ax.set_xlabel("Triệu đồng")
        ax.set_xlim(0, float(alloc.max()) * 1.25)
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.18), ncol=2)
        fig.tight_layout()
    return Chart("models", "Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất",
                 fig)


def ocop_stars(data: DistrictData) -> Chart:
    p = data["ocop_products"]
    p = p[p["year_recognised"] <= data.year]
    stars = [3, 4, 5]
    earlier = [int(((p["stars"] == s) & (p["year_recognised"] < data.year)).sum()) for s in stars]
    new = [int(((p["stars"] == s) & (p["year_recognised"] == data.year)).sum()) for s in stars]
    with plt.rc_context(STYLE):
        fig, ax = _figure(2.3)
        labels = [f"{s} sao" for s in stars]
        ax.bar(labels, earlier, color=GREY, label=f"Công nhận trước năm {data.year}")
        b = ax.bar(labels, new, bottom=earlier, color=GOLD, label=f"Công nhận năm {data.year}")
        ax.bar_label(b, labels=[str(e + n) for e, n in zip(earlier, new, strict=True)],
                     padding=2)
        ax.set_ylabel("Số sản phẩm")
        ax.set_ylim(0, max(e + n for e, n in zip(earlier, new, strict=True)) * 1.25 + 1)
        ax.legend(frameon=False)
        fig.tight_layout()
    return Chart("ocop", f"Sản phẩm OCOP theo hạng sao đến năm {data.year}", fig)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def close(charts: list[Chart | None]) -> None:
    """Free the figures once embedded (a batch renders many reports in one worker)."""
    for c in charts:
        if c is not None:
            plt.close(c.figure)
