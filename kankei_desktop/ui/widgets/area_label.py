"""How a municipality or prefecture is named where it is chosen as a scope."""

from __future__ import annotations

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services.areas import Area


def area_label(area: Area) -> str:
    """「岩手県（県内すべて）」 for a prefecture, the municipality's name otherwise."""
    if area.is_prefecture:
        return _("{name} (whole prefecture)").format(name=area.name)
    return area.name
