"""Use cases with validation: the only way the UI and the CLI change the data."""

from kankei_desktop.core.services.facade import Services

__all__ = ["Services"]
