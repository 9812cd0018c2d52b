"""The installed version of cmokit."""

__version__ = "0.1.0"
