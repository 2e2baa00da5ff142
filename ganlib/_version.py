"""ganlib's version and address, in a module of its own: any module reads them without a cycle."""

__version__ = "0.1.0"
# The one place the repository's address is written in ganlib; the notebooks repeat it literally
# (they install ganlib before they can import it) and tests/test_colab.py checks they agree.
REPOSITORY_URL = "https://github.com/ganlib/ganlib"
