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


def test_the_notebook_given_is_left_as_it_was_and_an_older_format_still_converts():
    """nbconvert copies the notebook before its preprocessors (the export keeps using it), and a
    notebook of format 4.4, whose cells have no ids, converts without being normalised."""
    nb = _notebook("xa-mot")
    nb.cells.insert(0, nbformat.v4.new_code_cell("%%bash\necho xin chào"))
    before = nbformat.writes(nb)
    html = review_html(nb)
    assert nbformat.writes(nb) == before  # HighlightMagics marked the %%bash cell in its copy
    assert '<span class="nb">echo</span>' in html  # highlighted as bash, by that mark
    old = nbformat.reads(before, as_version=4)
    old.nbformat_minor = 4
    for cell in old.cells:
        del cell["id"]
    assert "xa-mot" in review_html(old)
