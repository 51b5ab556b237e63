"""ntmlib: the helper library behind the ntm-reports notebooks.

Loads a district's data for one year, validates it, computes every figure of the annual
NTM report and renders the document.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ntmlib")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+src"

__all__ = ["__version__"]
