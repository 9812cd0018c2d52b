"""Run the command line as ``python -m cmokit``."""

from cmokit.cli import _entry_point

if __name__ == "__main__":
    _entry_point()
