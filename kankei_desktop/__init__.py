"""Kankei Desktop: offline-first desktop application for 関係人口 programmes."""

__version__ = "0.1.0"
