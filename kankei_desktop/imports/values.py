"""Reading one cell: dates (also 和暦 and Excel date cells), times, vocabulary, municipalities.

Every parser returns the value or raises :class:`CellError` whose message is the reason the
user reads after 「12行目 日付:」.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from kankei_desktop.core.cell_text import restored
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.japan.dates import parse_date_text
from kankei_desktop.core.japan.municipalities import MunicipalityEntry
from kankei_desktop.core.japan.text import normalize_text, search_key
from kankei_desktop.core.vocabulary import (
    AttendanceStatus,
    MatchingKind,
    MatchingStatus,
    MeetingFormat,
    MeetingKind,
    PersonCategory,
    RegistrationStatus,
    RegistrationTier,
    label,
    parse_code,
)
from kankei_desktop.imports.reading import Cell

EnumT = TypeVar("EnumT", bound=StrEnum)


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the reason for the user."""


def text_of(cell: Cell) -> str:
    """The cell as normalised one-line text (numbers without a trailing ``.0``)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        cell = restored(cell)  # a quote this application put before '=' comes off again
        # only short texts are cached: a cache of long notes would hold them all in memory
        return _normalized(cell) if len(cell) <= _CACHED_LENGTH else normalize_text(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.strftime("%Y/%m/%d %H:%M") if cell.time() != time(0) else f"{cell:%Y/%m/%d}"
    return normalize_text(str(cell))


#: Sheets repeat the same club, title and names on thousands of rows: normalise each once.
_normalized = lru_cache(maxsize=1 << 16)(normalize_text)
_CACHED_LENGTH = 200


_EXCEL_EPOCH = date(1899, 12, 30)


@lru_cache(maxsize=1 << 14)
def parse_date(cell: Cell) -> date:
    """2021/12/16, 2021-12-16, 2021年12月16日, an Excel date cell, R3.12.16, 令和3年12月16日
    (text is read by :func:`kankei_desktop.core.japan.dates.parse_date_text`, which the
    window's date fields use too)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 20000 < cell < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(cell))  # a date cell formatted as a number
    try:
        return parse_date_text(text_of(cell))
    except ValueError:
        pass
    raise CellError(_("{value} cannot be read as a date").format(value=text_of(cell)))


_TIME = re.compile(r"(\d{1,2})\s*[:時]\s*(\d{1,2})?\s*分?(?::(\d{1,2}))?")


@lru_cache(maxsize=4096)
def parse_time(cell: Cell) -> time | None:
    """19:00, 19:00:00, 19時, 19時30分, an Excel time cell; empty gives ``None``."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, float) and 0 <= cell < 1:
        minutes = round(cell * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    text = unicodedata.normalize("NFKC", text_of(cell))
    match = _TIME.fullmatch(text)
    if match is not None:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CellError(_("{value} cannot be read as a time (write e.g. 19:00)").format(
        value=text_of(cell)))


def parse_datetime(cell: Cell) -> datetime | None:
    """A Zoom join/leave time: 2021/12/16 19:02:33, 12/16/2021 07:02:33 PM, an Excel cell."""
    if isinstance(cell, datetime):
        return cell
    text = unicodedata.normalize("NFKC", text_of(cell))
    if not text:
        return None
    for pattern in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S",
                    "%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S",
                    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise CellError(_("{value} cannot be read as a date and time").format(value=text))


def parse_minutes(cell: Cell) -> int:
    """Zoom's 「期間（分）」: whole minutes (empty → 0)."""
    text = unicodedata.normalize("NFKC", text_of(cell))
    if not text:
        return 0
    try:
        return max(0, round(float(text)))
    except ValueError:
        raise CellError(_("{value} is not a number of minutes").format(value=text)) from None


# Japanese words used in real sheets, besides the catalog's labels.
_SYNONYMS: dict[type[StrEnum], dict[str, str]] = {
    MeetingKind: {
        "セッション": MeetingKind.SESSION, "説明会": MeetingKind.SEMINAR,
        "講座": MeetingKind.SEMINAR, "説明会・講座": MeetingKind.SEMINAR,
        "セミナー": MeetingKind.SEMINAR, "現地訪問": MeetingKind.FIELDWORK,
        "現地訪問・実践活動": MeetingKind.FIELDWORK, "実践活動": MeetingKind.FIELDWORK,
        "交流会": MeetingKind.EXCHANGE, "その他": MeetingKind.OTHER,
    },
    MeetingFormat: {
        "オンライン": MeetingFormat.ONLINE, "web": MeetingFormat.ONLINE,
        "zoom": MeetingFormat.ONLINE, "現地": MeetingFormat.ONSITE,
        "対面": MeetingFormat.ONSITE, "リアル": MeetingFormat.ONSITE,
        "オフライン": MeetingFormat.ONSITE, "ハイブリッド": MeetingFormat.HYBRID,
        "on-site": MeetingFormat.ONSITE,
    },
    PersonCategory: {
        "企業人材": PersonCategory.COMPANY_STAFF, "企業": PersonCategory.COMPANY_STAFF,
        "自治体職員": PersonCategory.MUNICIPAL_STAFF, "自治体": PersonCategory.MUNICIPAL_STAFF,
        "地域住民": PersonCategory.RESIDENT, "住民": PersonCategory.RESIDENT,
        "学生": PersonCategory.STUDENT, "その他": PersonCategory.OTHER,
    },
    AttendanceStatus: {
        "出席": AttendanceStatus.ATTENDED, "参加": AttendanceStatus.ATTENDED,
        "〇": AttendanceStatus.ATTENDED, "○": AttendanceStatus.ATTENDED,
        "◯": AttendanceStatus.ATTENDED, "欠席": AttendanceStatus.ABSENT,
        "不参加": AttendanceStatus.ABSENT, "×": AttendanceStatus.ABSENT,
        "連絡あり欠席": AttendanceStatus.EXCUSED, "欠席(連絡あり)": AttendanceStatus.EXCUSED,
        "欠席連絡あり": AttendanceStatus.EXCUSED,
    },
    # issue 17: the labels of the matching list, whatever the interface language
    MatchingKind: {
        "複業・副業・兼業": MatchingKind.SIDE_JOB, "複業": MatchingKind.SIDE_JOB,
        "副業": MatchingKind.SIDE_JOB, "兼業": MatchingKind.SIDE_JOB,
        "複業・副業": MatchingKind.SIDE_JOB, "副業・兼業": MatchingKind.SIDE_JOB,
        "プロボノ": MatchingKind.SIDE_JOB, "side job": MatchingKind.SIDE_JOB,
        "インターン": MatchingKind.INTERNSHIP, "インターンシップ": MatchingKind.INTERNSHIP,
        "協業・共同事業": MatchingKind.COLLABORATION, "協業": MatchingKind.COLLABORATION,
        "共同事業": MatchingKind.COLLABORATION, "協働": MatchingKind.COLLABORATION,
        "連携協定": MatchingKind.AGREEMENT, "包括連携協定": MatchingKind.AGREEMENT,
        "協定": MatchingKind.AGREEMENT, "移住・二地域居住": MatchingKind.RELOCATION,
        "移住": MatchingKind.RELOCATION, "二地域居住": MatchingKind.RELOCATION,
        "移住・定住": MatchingKind.RELOCATION, "その他": MatchingKind.OTHER,
    },
    MatchingStatus: {
        "提案中": MatchingStatus.PROPOSED, "提案": MatchingStatus.PROPOSED,
        "調整中": MatchingStatus.PROPOSED, "成立": MatchingStatus.MADE,
        "マッチング成立": MatchingStatus.MADE, "継続中": MatchingStatus.ONGOING,
        "継続": MatchingStatus.ONGOING, "活動中": MatchingStatus.ONGOING,
        "終了": MatchingStatus.ENDED, "不成立": MatchingStatus.DECLINED,
        "見送り": MatchingStatus.DECLINED,
    },
    RegistrationTier: {
        "ベーシック": RegistrationTier.BASIC, "ベーシック登録": RegistrationTier.BASIC,
        "プレミアム": RegistrationTier.PREMIUM, "プレミアム登録": RegistrationTier.PREMIUM,
    },
    RegistrationStatus: {
        "登録中": RegistrationStatus.ACTIVE, "有効": RegistrationStatus.ACTIVE,
        "失効": RegistrationStatus.LAPSED, "期限切れ": RegistrationStatus.LAPSED,
        "解除": RegistrationStatus.WITHDRAWN, "取消": RegistrationStatus.WITHDRAWN,
        "取り消し": RegistrationStatus.WITHDRAWN, "退会": RegistrationStatus.WITHDRAWN,
    },
}
_SYNONYM_KEYS: dict[type[StrEnum], dict[str, str]] = {
    vocabulary: {search_key(word): code for word, code in words.items()}
    for vocabulary, words in _SYNONYMS.items()
}


@lru_cache(maxsize=1024)
def parse_choice(vocabulary: type[EnumT], cell: Cell, default: EnumT) -> EnumT:
    """A vocabulary value from its Japanese label, English label or code; empty → default."""
    text = text_of(cell)
    if not text:
        return default
    code = _SYNONYM_KEYS.get(vocabulary, {}).get(search_key(text))
    if code is not None:
        return vocabulary(code)
    member = parse_code(vocabulary, text)
    if member is not None:
        return vocabulary(member.value)
    allowed = " / ".join(label(member) for member in vocabulary)
    raise CellError(_("{value} is not one of: {allowed}").format(value=text, allowed=allowed))


#: What marks a session as a 担い手活動 (compared after NFKC and case folding).
_YES = frozenset({"○", "〇", "◯", "はい", "1", "true"})


def parse_flag(cell: Cell) -> bool:
    """「担い手活動」: ○, はい, 1 or true mark it; anything else (empty too) does not."""
    if isinstance(cell, bool):
        return cell
    text = unicodedata.normalize("NFKC", text_of(cell)).strip().casefold()
    return text in _YES


@lru_cache(maxsize=4096)
def parse_municipality(cell: Cell) -> MunicipalityEntry | None:
    """「北海道鷹栖町」, 「鷹栖町」 or the 6-digit code through the master list; empty → None.

    An ambiguous name (「府中市」) is an error naming the candidates.
    """
    text = text_of(cell)
    if not text:
        return None
    if text.isdigit() and len(text) == 5:  # Excel dropped the leading zero of 014524
        text = "0" + text
    entry = municipalities.resolve(text)
    if entry is not None:
        return entry
    if any(ch.isdigit() for ch in text):
        raise CellError(_("{value} is not a local government code in the master list").format(
            value=text))
    key = search_key(text)
    candidates = [
        found for found in municipalities.search(text, limit=50)
        if key in (search_key(found.name), search_key(found.full_name))
    ]
    if len(candidates) > 1:
        names = "、".join(f"{found.full_name}（{found.code}）" for found in candidates)
        raise CellError(_("{value} is ambiguous: write one of {candidates}").format(
            value=text, candidates=names))
    raise CellError(_("{value} is not a municipality in the master list").format(value=text))


def organization_municipality(name: str) -> MunicipalityEntry | None:
    """The public body an organisation name stands for (「鷹栖町」, 「鷹栖町役場」), if any."""
    if not name:
        return None
    for suffix in ("", "役場", "役所", "庁"):
        if suffix and not name.endswith(suffix):
            continue
        entry = municipalities.resolve(name[: len(name) - len(suffix)] if suffix else name)
        if entry is not None:
            return entry
    return None
