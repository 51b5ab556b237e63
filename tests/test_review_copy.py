"""The review copy's code cells: highlighted as nbconvert's lab template does, and each
notebook's own code, although the highlighted HTML is kept from one report to the next."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ntmlib.export import review_html

# e2e: its tests copy, validate or render a whole unit's data
pytestmark = pytest.mark.e2e


def _notebook(unit: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_code_cell(f'unit = "{unit}"  # <b>not markup</b>'),
                             new_code_cell("total = 1 + 2")])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


@pytest.mark.e2e
def test_each_notebook_shows_its_own_code_highlighted_and_escaped():
    first = review_html(_notebook("xa-mot"))
    second = review_html(_notebook("xa-hai"))
    assert "xa-mot" in first and "xa-hai" not in first
    assert "xa-hai" in second and "xa-mot" not in second
    for html in (first, second):
        # Pygments' classes: a name, an operator, a number
        assert '<span class="n">total</span>' in html and '<span class="o">+</span>' in html
        assert '<span class="mi">2</span>' in html
        # code is text: its angle brackets are escaped, never markup
        assert "&lt;b&gt;not markup&lt;/b&gt;" in html and "<b>not markup</b>" not in html
        assert 'class=" highlight hl-ipython3"' in html  # as nbconvert writes it


def test_code_is_set_in_a_monospace_font_that_has_vietnamese_letters():
    """JupyterLab's code font ends in DejaVu Sans Mono on Linux, which has no "ấ": the review
    copy names, after the theme's own, fonts that have them (Liberation Mono is installed
    with the project's system packages; Consolas and Courier New on Windows and macOS)."""
    import re

    html = review_html(_notebook("xa-mot"))
    theme = html.index("--jp-code-font-family-default:")
    ours = [m.start() for m in re.finditer(
        r'--jp-code-font-family: Consolas, "Liberation Mono", "Courier New", monospace;', html)]
    assert ours and ours[-1] > theme
