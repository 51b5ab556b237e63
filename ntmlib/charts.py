"""The report's charts: one style, the document's font (Liberation Serif), Vietnamese labels and
number format, 200 dpi, legends outside the plotting area.

Charts compute nothing: every number they draw or print is a figure of the registry, and a
series with nothing to show gets no bar and no legend entry. Each function returns a `Chart`
(the matplotlib figure and its caption); `render` numbers the charts in the order the report
places them and embeds them as PNG.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no screen on servers; the notebook's inline backend still shows them

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402

from . import config  # noqa: E402
from .figures import Figures  # noqa: E402
from .formatting import fmt_number  # noqa: E402
from .i18n import _  # noqa: E402
from .model import UnitData  # noqa: E402

WIDTH_IN = 16.5 / 2.54  # A4 text width: 210 mm less 30 mm and 15 mm margins
DPI = 200
# zlib level 1: a quarter less time to save a chart for a sixth more bytes (WeasyPrint
# compresses the image again for the PDF); the bytes stay the same from run to run
PNG_LEVEL = 1
GREEN, RED, BLUE, GREY, GOLD = "#2e7d32", "#c62828", "#1f4e79", "#9e9e9e", "#c99a06"
FONT = "Liberation Serif"
for _ttf in sorted(config.FONTS_DIR.glob("*.ttf")):
    font_manager.fontManager.addfont(str(_ttf))
STYLE = {
    "font.family": FONT,  # the body's font, shipped in ntmlib/fonts (covers Vietnamese)
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.hashsalt": "ntm",
    "axes.formatter.use_locale": False,
}


@dataclass
class Chart:
    key: str
    caption_parts: tuple  # text and figure keys in braces: ("… năm ", "{year}")
    figure: plt.Figure
    figures: Figures | None = None

    _png: str | None = None

    @property
    def caption(self) -> str:
        """The caption as text (the document links its figures)."""
        return "".join(_text(self.figures, p[1:-1]) if _is_key(p) else p
                       for p in self.caption_parts)

    def png_base64(self) -> str:
        """The chart as PNG at 200 dpi, drawn once (the notebook shows it and the report
        embeds it); fixed metadata keeps the bytes identical from run to run."""
        if self._png is None:
            self._png = base64.b64encode(png_bytes(self.figure)).decode("ascii")
        return self._png

    def _repr_png_(self) -> bytes:
        return base64.b64decode(self.png_base64())

    def __repr__(self) -> str:
        # the notebook keeps this beside the PNG: the caption, not the PNG again in base64
        # (about 110 KB a chart) nor a memory address that differs from run to run
        return _("Chart: {caption}").format(caption=self.caption)


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure as an RGB PNG at DPI: the charts are drawn on opaque white, and without
    an alpha channel WeasyPrint embeds one image in the PDF instead of splitting off a mask
    and compressing both (a tenth of a PDF's time went there). No metadata but the
    resolution, so the bytes are the same from run to run."""
    from PIL import Image

    buf = io.BytesIO()
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        # what fig.tight_layout() leaves behind, which makes savefig draw the whole figure
        # once more beforehand (for nothing: the layout is done): 12 % of a chart's time
        fig.set_layout_engine(None)
    fig.savefig(buf, format="rgba", dpi=DPI)
    width = int(fig.get_size_inches()[0] * DPI + 1e-8)  # as matplotlib sizes its canvas
    rgba = np.frombuffer(buf.getbuffer(), dtype=np.uint8).reshape(-1, width, 4)
    rgb = rgba[..., :3]
    if rgba[..., 3].min() < 255:  # something see-through after all: laid on white paper
        alpha = rgba[..., 3:] / 255.0
        rgb = (rgb * alpha + 255.0 * (1 - alpha)).round().astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), "RGB").save(
        out, format="png", dpi=(DPI, DPI), compress_level=PNG_LEVEL)
    return out.getvalue()


def warm_up() -> None:
    """Draw and save one small chart in the report's style, with Vietnamese text, and throw
    it away: matplotlib loads the fonts and its text layout caches on a first draw, which a
    batch's kernel factory (ntmlib.zygote) then does once instead of once per report. No data
    is involved."""
    fig, ax = _figure(1.0)
    ax.bar([0, 1], [1, 2])
    ax.set_title("Số xã đạt tiêu chí")
    ax.yaxis.set_major_formatter(FuncFormatter(vn_axis))
    fig.tight_layout()
    png_bytes(fig)
    plt.close(fig)


def _is_key(part: str) -> bool:
    return part.startswith("{") and part.endswith("}")


def vn_axis(x: float, _pos: int | None = None) -> str:
    """Axis numbers in Vietnamese format (1.000; 2,5)."""
    return fmt_number(x)


def _figure(height_in: float) -> tuple[plt.Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height_in))
    return fig, ax


def _legend_below(ax: plt.Axes, handles: list, labels: list[str]) -> None:
    """A legend under the plotting area and under the x axis's tick labels and title (never
    over a bar or a word), only for series with data. Call it once the axis is labelled."""
    if not handles:
        return
    fig = ax.figure
    # how far the x axis's words reach below the plotting area, in points: a fixed share of the
    # axes' height would fall on them in a short chart (one production model)
    words = ax.xaxis.get_tightbbox(fig.canvas.get_renderer())
    depth = max(0.0, ax.bbox.y0 - words.y0) * 72 / fig.dpi if words is not None else 0.0
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0),
              bbox_transform=offset_copy(ax.transAxes, fig=fig, y=-(depth + 4), units="points"),
              ncol=len(handles), frameon=False)


def _text(figures: Figures | None, key: str) -> str:
    """A bar's label: the figure as its appendix column prints it (a count unpadded, '2')."""
    fig = figures.get(key) if figures is not None else None
    return "" if fig is None or fig.value is None else fig.text(padded=False)


def _value(figures: Figures, key: str) -> float:
    fig = figures.get(key)
    return 0.0 if fig is None or fig.value is None else float(fig.value)


def criteria_grid(data: UnitData, figures: Figures, role: str = "commune") -> Chart | None:
    """Commune × criterion grid of a commune-level set: green achieved, red not."""
    from .indicators import COMMUNE_SET_KEYS

    s = data.criteria_set(role)
    if s is None:
        return None
    t = data["commune_criteria"]
    t = t[t["set_id"] == s.set_id] if not t.empty else t
    if t.empty:
        return None
    keys = COMMUNE_SET_KEYS[role]
    numbers = s.numbers
    present = set(t["commune_code"])
    codes = [c for c in data.rural_communes["code"] if c in present]
    grid = np.zeros((len(codes), len(numbers)))
    for i, code in enumerate(codes):
        g = t[t["commune_code"] == code]
        achieved = dict(zip(g["criterion"].astype(int), g["achieved"].fillna(False),
                            strict=True))
        grid[i] = [1 if achieved.get(n) else 0 for n in numbers]
    with plt.rc_context(STYLE):
        fig, ax = _figure(1.0 + 0.25 * len(codes))
        ax.imshow(grid, cmap=ListedColormap([RED, GREEN]), vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(numbers)),
                      [_text(figures, keys.number.format(n=n)) for n in numbers])
        ax.set_yticks(range(len(codes)), [data.commune_name(c) for c in codes])
        # the cells' white borders: two line collections, not a minor tick (a tick line, a
        # label and a grid line each) per row and column
        ax.hlines(np.arange(-0.5, len(codes)), -0.5, len(numbers) - 0.5, color="white",
                  linewidth=1.5)
        ax.vlines(np.arange(-0.5, len(numbers)), -0.5, len(codes) - 0.5, color="white",
                  linewidth=1.5)
        ax.xaxis.tick_top()
        ax.set_xlabel("Tiêu chí")
        ax.xaxis.set_label_position("top")
        for spine in ax.spines.values():
            spine.set_visible(False)
        handles, labels = [], []
        if grid.any():
            handles.append(plt.Rectangle((0, 0), 1, 1, color=GREEN))
            labels.append("Đạt")
        if not grid.all():
            handles.append(plt.Rectangle((0, 0), 1, 1, color=RED))
            labels.append("Chưa đạt")
        ax.legend(handles, labels, loc="upper center", ncol=2, frameon=False,
                  bbox_to_anchor=(0.5, -0.02))
        fig.tight_layout()
    return Chart(f"criteria_grid_{role}", (f"Kết quả thực hiện các tiêu chí {s.title} theo "
                 "từng xã năm ", "{year}"), fig, figures)


def levels_comparison(data: UnitData, figures: Figures) -> Chart | None:
    """Communes by the level bands of the commune set, end of last year against now."""
    from .indicators import band_text

    s = data.criteria_set("commune")
    if s is None or not s.bands or f"levels.count[{s.bands[0].band}]" not in figures:
        return None
    bands = [b.band for b in s.bands]
    labels = [band_text(b).replace("đạt ", "") for b in s.bands]
    now = [_value(figures, f"levels.count[{b}]") for b in bands]
    has_prev = all(f"prev.levels.count[{b}]" in figures for b in bands)
    before = [_value(figures, f"prev.levels.count[{b}]") for b in bands] if has_prev else None
    x = np.arange(len(bands))
    with plt.rc_context(STYLE):
        fig, ax = _figure(2.8)
        w = 0.38
        handles, names = [], []
        if before is not None and any(before):
            b1 = ax.bar(x - w / 2, before, w, color=GREY)
            ax.bar_label(b1, labels=[_text(figures, f"prev.levels.count[{b}]") for b in bands],
                         padding=2)
            handles.append(b1)
            names.append(f"31/12/{_text(figures, 'prev_year')}")
        shift = w / 2 if handles else 0
        b2 = ax.bar(x + shift, now, w, color=BLUE)
        ax.bar_label(b2, labels=[_text(figures, f"levels.count[{b}]") for b in bands],
                     padding=2)
        if any(now):
            handles.append(b2)
            names.append(f"31/12/{_text(figures, 'year')}")
        ax.set_xticks(x, labels)
        ax.set_ylabel("Số xã")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(vn_axis))
        ax.set_ylim(0, max([*now, *(before or []), 1]) * 1.25)
        _legend_below(ax, handles, names)
        fig.tight_layout()
    caption = (("Số xã theo mức độ đạt tiêu chí nông thôn mới, năm ", "{prev_year}",
                " và năm ", "{year}") if len(handles) > 1 else
               ("Số xã theo mức độ đạt tiêu chí nông thôn mới năm ", "{year}"))
    return Chart("levels", caption, fig, figures)


def funds_by_source(data: UnitData, figures: Figures) -> Chart | None:
    """Funds mobilised by source (the sources with an amount)."""
    sources = [s for s in data.reference.fund_sources(data.year)["source"].drop_duplicates()
               if _value(figures, f"funds.source[{s}]")]
    members = set(data.reference.fund_sources(data.year).query("group != ''")["source"])
    sources = [s for s in sources if s not in members]
    if not sources:
        return None
    labels = [data.reference.fund_label(s, data.year, data.unit) for s in sources]
    values = [_value(figures, f"funds.source[{s}]") for s in sources]
    with plt.rc_context(STYLE):
        fig, ax = _figure(0.7 + 0.42 * len(sources))
        bars = ax.barh(labels[::-1], values[::-1], color=BLUE)
        ax.bar_label(bars, labels=[_text(figures, f"funds.source[{s}]") for s in sources[::-1]],
                     padding=3)
        ax.xaxis.set_major_formatter(FuncFormatter(vn_axis))
        ax.set_xlabel("Triệu đồng")
        ax.set_xlim(0, max(values) * 1.25)
        fig.tight_layout()
    return Chart("funds", ("Nguồn vốn huy động năm ", "{year}", " theo nguồn"), fig, figures)


def models_disbursement(data: UnitData, figures: Figures) -> Chart | None:
    """Allocated and disbursed funds of the direct production-support models."""
    m = data["production_models"]
    m = m[m["source"] == "direct"] if not m.empty else m
    if m.empty:
        return None
    ids = list(m["model_id"])[::-1]
    names = [_wrap(n, 44) for n in m["name"]][::-1]
    y = np.arange(len(ids))
    alloc = [_value(figures, f"models.allocated[{i}]") for i in ids]
    disb = [_value(figures, f"models.disbursed[{i}]") for i in ids]
    with plt.rc_context(STYLE):
        fig, ax = _figure(1.1 + 0.55 * len(ids))
        h = 0.38
        b1 = ax.barh(y + h / 2, alloc, h, color=GREY)
        b2 = ax.barh(y - h / 2, disb, h, color=GREEN)
        ax.bar_label(b1, labels=[_text(figures, f"models.allocated[{i}]") for i in ids],
                     padding=2, fontsize=9)
        ax.bar_label(b2, labels=[_text(figures, f"models.disbursed[{i}]")
                                 if figures.get(f"models.disbursed[{i}]") is not None
                                 and figures[f"models.disbursed[{i}]"].value is not None
                                 else "chưa có số liệu" for i in ids], padding=2, fontsize=9)
        ax.set_yticks(y, names, fontsize=9)
        ax.xaxis.set_major_formatter(FuncFormatter(vn_axis))
        ax.set_xlabel("Triệu đồng")
        ax.set_xlim(0, max(alloc + [1]) * 1.3)
        handles, labels = [b1], ["Vốn bố trí"]
        if any(disb):
            handles.append(b2)
            labels.append("Đã giải ngân")
        _legend_below(ax, handles, labels)
        fig.tight_layout()
    return Chart("models", ("Vốn bố trí và giải ngân theo mô hình hỗ trợ phát triển sản xuất",),
                 fig, figures)


def ocop_stars(data: UnitData, figures: Figures) -> Chart | None:
    """OCOP products by star rating: recognised earlier and this year."""
    if not _value(figures, "ocop.total"):
        return None
    stars = [3, 4, 5]
    earlier = [_value(figures, f"ocop.earlier_stars[{s}]") for s in stars]
    new = [_value(figures, f"ocop.new_stars[{s}]") for s in stars]
    year = _text(figures, "year")
    with plt.rc_context(STYLE):
        fig, ax = _figure(2.4)
        labels = [f"{s} sao" for s in stars]
        handles, names = [], []
        b1 = ax.bar(labels, earlier, color=GREY)
        if any(earlier):
            handles.append(b1)
            names.append(f"Công nhận trước năm {year}")
        b2 = ax.bar(labels, new, bottom=earlier, color=GOLD)
        if any(new):
            handles.append(b2)
            names.append(f"Công nhận năm {year}")
        ax.bar_label(b2, labels=[_text(figures, f"ocop.stars[{s}]") for s in stars], padding=2)
        ax.set_ylabel("Số sản phẩm")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(vn_axis))
        ax.set_ylim(0, max(e + n for e, n in zip(earlier, new, strict=True)) * 1.3 + 1)
        _legend_below(ax, handles, names)
        fig.tight_layout()
    return Chart("ocop", ("Sản phẩm OCOP theo hạng sao đến năm ", "{year}"), fig, figures)


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


def province_charts(data: UnitData, figures: Figures) -> list[Chart]:
    """The province report's charts: communes by criteria met, and funds by source."""
    from .indicators import funds_labels

    out = []
    s = data.criteria_set("commune")
    if s is not None and all(f"members.band[{b.band}]" in figures for b in s.bands):
        labels = [f"{b.min}–{b.max}" if b.min != b.max else str(b.max) for b in s.bands]
        counts = [_value(figures, f"members.band[{b.band}]") for b in s.bands]
        with plt.rc_context(STYLE):
            fig, ax = _figure(2.6)
            bars = ax.bar(labels, counts, color=BLUE)
            ax.bar_label(bars, labels=[_text(figures, f"members.band[{b.band}]")
                                       for b in s.bands], padding=2)
            ax.set_xlabel("Số tiêu chí đạt")
            ax.set_ylabel("Số xã")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(FuncFormatter(vn_axis))
            ax.set_ylim(0, max(counts + [1]) * 1.25)
            fig.tight_layout()
        out.append(Chart("members", ("Số xã theo số tiêu chí đạt năm ", "{year}"), fig,
                         figures))
    sources = [(s_, label) for s_, label in funds_labels(data, data.year, top=True)
               if _value(figures, f"funds.source[{s_}]")]
    if sources:
        values = [_value(figures, f"funds.source[{s_}]") for s_, _ in sources]
        with plt.rc_context(STYLE):
            fig, ax = _figure(0.7 + 0.42 * len(sources))
            bars = ax.barh([lab for _, lab in sources][::-1], values[::-1], color=BLUE)
            ax.bar_label(bars, labels=[_text(figures, f"funds.source[{s_}]")
                                       for s_, _ in sources][::-1], padding=3)
            ax.xaxis.set_major_formatter(FuncFormatter(vn_axis))
            ax.set_xlabel("Triệu đồng")
            ax.set_xlim(0, max(values) * 1.3)
            fig.tight_layout()
        out.append(Chart("funds", ("Nguồn vốn huy động năm ", "{year}", " theo nguồn"), fig,
                         figures))
    return out


def all_charts(data: UnitData, figures: Figures) -> list[Chart]:
    """Every chart the unit's data has, in the order the report places them."""
    found = [criteria_grid(data, figures, "commune"), models_disbursement(data, figures),
             ocop_stars(data, figures), levels_comparison(data, figures),
             funds_by_source(data, figures)]
    return [c for c in found if c is not None]


def close(charts: list[Chart | None]) -> None:
    """Let pyplot forget the figures once embedded (a batch renders many reports in one
    worker): each goes with its Chart. A closed chart can still be drawn again (a reviewer
    may look at its figure after the document's cell), on a canvas of its own."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for c in charts:
        if c is not None:
            plt.close(c.figure)
            FigureCanvasAgg(c.figure)
