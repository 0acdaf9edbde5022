"""The template library: the questions these programmes ask after almost every session
(満足度, 参加のきっかけ, 今後の参加意向, 感想), so a new survey takes a minute.

Texts are English sources translated when a template is used: a survey made in the Japanese
interface is stored in Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass

from kankei_desktop.core.i18n import N_
from kankei_desktop.core.vocabulary import QuestionKind


@dataclass(frozen=True)
class Template:
    """One reusable question (``name`` says what it asks, for the template list)."""

    key: str
    name: str
    text: str
    kind: str
    options: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""
    points: int = 5


TEMPLATES: tuple[Template, ...] = (
    Template("satisfaction", N_("Satisfaction"),
             N_("How satisfied are you with today's session?"), QuestionKind.SCALE.value,
             low_label=N_("Dissatisfied"), high_label=N_("Satisfied")),
    Template("motive", N_("What brought you here"),
             N_("What made you take part? (choose all that apply)"),
             QuestionKind.MULTIPLE.value,
             options=(N_("Introduced by a colleague or acquaintance"),
                      N_("Information from my employer"), N_("Social media"), N_("Website"),
                      N_("Flyer or public newsletter"), N_("Other"))),
    Template("intention", N_("Intention to take part again"),
             N_("Would you like to take part again?"), QuestionKind.SINGLE.value,
             options=(N_("Yes, definitely"), N_("If I have the chance"), N_("Not sure"),
                      N_("No, I would not"))),
    Template("impressions", N_("Impressions"),
             N_("Please share your impressions and comments freely."),
             QuestionKind.TEXT.value),
)

#: The four templates a new survey starts with when the user asks for the standard set.
STANDARD_SET = tuple(template.key for template in TEMPLATES)


def template(key: str) -> Template:
    """The template called ``key`` (KeyError when unknown)."""
    for item in TEMPLATES:
        if item.key == key:
            return item
    raise KeyError(key)
