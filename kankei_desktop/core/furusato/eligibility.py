"""Who may hold a premium registration, and the sentences that say why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kankei_desktop.core.i18n import _, ngettext


class Reason(StrEnum):
    """Why premium is not possible (in the order the sentences are given)."""

    TOO_FEW_ACTIVITIES = "too_few_activities"
    LIVES_THERE = "lives_there"
    PREMIUM_LIMIT = "premium_limit"


@dataclass(frozen=True)
class Eligibility:
    """The outcome for one person, municipality and period."""

    eligible: bool
    reasons: tuple[Reason, ...]
    sentences: tuple[str, ...] = field(default=())
    shortfall: int = 0
    """Designated activities still missing (0 when enough)."""


def assess(*, activities: int, minimum: int, lives_there: bool, municipality: str,
           premium_elsewhere: list[str], maximum: int) -> Eligibility:
    """Premium is possible with at least ``minimum`` activities, outside the municipality of
    residence, and while fewer than ``maximum`` premium registrations are held elsewhere
    (``premium_elsewhere``: the other municipalities' names)."""
    reasons: list[Reason] = []
    sentences: list[str] = []
    shortfall = max(0, minimum - activities)
    if shortfall:
        reasons.append(Reason.TOO_FEW_ACTIVITIES)
        sentences.append(ngettext(
            "{count} designated activity attended in the period; {more} more needed for "
            "premium (at least {minimum}).",
            "{count} designated activities attended in the period; {more} more needed for "
            "premium (at least {minimum}).", activities).format(
                count=activities, more=shortfall, minimum=minimum))
    if lives_there:
        reasons.append(Reason.LIVES_THERE)
        sentences.append(_("Lives in {municipality}: premium registration is not possible in "
                           "the municipality of residence.").format(municipality=municipality))
    if len(premium_elsewhere) >= maximum:
        reasons.append(Reason.PREMIUM_LIMIT)
        sentences.append(ngettext(
            "Already holds a premium registration in {count} other municipality ({names}); "
            "at most {maximum} are allowed.",
            "Already holds premium registrations in {count} other municipalities ({names}); "
            "at most {maximum} are allowed.", len(premium_elsewhere)).format(
                count=len(premium_elsewhere), names="、".join(premium_elsewhere),
                maximum=maximum))
    return Eligibility(not reasons, tuple(reasons), tuple(sentences), shortfall)
