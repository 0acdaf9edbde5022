"""Which column holds what: header names (Japanese or English) → fields, and the layout.

Four layouts are recognised by their headers: the flat attendance layout (one row per person
per session), a people/organisations list, a Zoom participant report, a matching list
(a 成立日 column; issue 17), whose 団体, 種類, 状態, テーマ and 自治体 columns mean the matched
organisation, the matching's kind and status, its theme and its host, and a ふるさと住民登録
list (issue 20: one row per person and municipality, with 登録区分 and 登録日).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.japan.text import search_key
from kankei_desktop.imports.reading import Cell


class Layout(StrEnum):
    """What kind of table the file holds."""

    ATTENDANCE = "attendance"
    PEOPLE = "people"
    ZOOM = "zoom"
    MATCHING = "matching"
    REGISTRATION = "registration"


class Field(StrEnum):
    """What a column can hold."""

    DATE = "date"
    START = "start"
    END = "end"
    CLUB = "club"
    MUNICIPALITY = "municipality"
    TITLE = "title"
    KIND = "kind"
    FORMAT = "format"
    NAME = "name"
    FAMILY_NAME = "family_name"
    GIVEN_NAME = "given_name"
    READING = "reading"
    FAMILY_READING = "family_reading"
    GIVEN_READING = "given_reading"
    ORGANIZATION = "organization"
    CATEGORY = "category"
    ATTENDANCE = "attendance"
    EMAIL = "email"
    PHONE = "phone"
    NOTES = "notes"
    JOIN_TIME = "join_time"
    LEAVE_TIME = "leave_time"
    DURATION = "duration"
    GUEST = "guest"
    # matching list (issue 17)
    MADE_ON = "made_on"
    ENDED_ON = "ended_on"
    PARTY_ORGANIZATION = "party_organization"
    HOST_MUNICIPALITY = "host_municipality"
    HOST_ORGANIZATION = "host_organization"
    MATCHING_KIND = "matching_kind"
    MATCHING_STATUS = "matching_status"
    THEME = "theme"
    # ふるさと住民登録 (issue 20)
    DESIGNATED = "designated"
    RESIDENCE = "residence"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    TIER = "tier"
    REGISTERED_ON = "registered_on"
    RENEWAL_DUE = "renewal_due"
    REGISTRATION_STATUS = "registration_status"


#: The Japanese header written in templates and shown in the mapping combo.
JAPANESE_HEADERS: dict[Field, str] = {
    Field.DATE: "日付",
    Field.START: "開始",
    Field.END: "終了",
    Field.CLUB: "クラブ",
    Field.MUNICIPALITY: "自治体",
    Field.TITLE: "セッション",
    Field.KIND: "種別",
    Field.FORMAT: "形式",
    Field.NAME: "氏名",
    Field.FAMILY_NAME: "姓",
    Field.GIVEN_NAME: "名",
    Field.READING: "ふりがな",
    Field.FAMILY_READING: "せい",
    Field.GIVEN_READING: "めい",
    Field.ORGANIZATION: "所属",
    Field.CATEGORY: "区分",
    Field.ATTENDANCE: "出欠",
    Field.EMAIL: "メール",
    Field.PHONE: "電話",
    Field.NOTES: "備考",
    Field.JOIN_TIME: "参加時間",
    Field.LEAVE_TIME: "退出時間",
    Field.DURATION: "期間（分）",
    Field.GUEST: "ゲスト",
    Field.MADE_ON: "成立日",
    Field.ENDED_ON: "終了日",
    Field.PARTY_ORGANIZATION: "団体",
    Field.HOST_MUNICIPALITY: "受入自治体",
    Field.HOST_ORGANIZATION: "受入先",
    Field.MATCHING_KIND: "種類",
    Field.MATCHING_STATUS: "状態",
    Field.THEME: "テーマ",
    Field.DESIGNATED: "担い手活動",
    Field.RESIDENCE: "居住自治体",
    Field.POSTAL_CODE: "郵便番号",
    Field.ADDRESS: "住所",
    Field.TIER: "登録区分",
    Field.REGISTERED_ON: "登録日",
    Field.RENEWAL_DUE: "更新期限",
    Field.REGISTRATION_STATUS: "登録状況",
}

_FIELD_LABELS: dict[Field, str] = {
    Field.DATE: N_("Date"),
    Field.START: N_("Start"),
    Field.END: N_("End"),
    Field.CLUB: N_("Club"),
    Field.MUNICIPALITY: N_("Municipality"),
    Field.TITLE: N_("Session title"),
    Field.KIND: N_("Kind"),
    Field.FORMAT: N_("Format"),
    Field.NAME: N_("Name"),
    Field.FAMILY_NAME: N_("Family name"),
    Field.GIVEN_NAME: N_("Given name"),
    Field.READING: N_("Reading"),
    Field.FAMILY_READING: N_("Family name reading"),
    Field.GIVEN_READING: N_("Given name reading"),
    Field.ORGANIZATION: N_("Organisation"),
    Field.CATEGORY: N_("Category"),
    Field.ATTENDANCE: N_("Attendance"),
    Field.EMAIL: N_("E-mail"),
    Field.PHONE: N_("Phone"),
    Field.NOTES: N_("Notes"),
    Field.JOIN_TIME: N_("Join time"),
    Field.LEAVE_TIME: N_("Leave time"),
    Field.DURATION: N_("Duration (minutes)"),
    Field.GUEST: N_("Guest"),
    Field.MADE_ON: N_("Date made"),
    Field.ENDED_ON: N_("Date ended"),
    Field.PARTY_ORGANIZATION: N_("Organisation matched"),
    Field.HOST_MUNICIPALITY: N_("Host municipality"),
    Field.HOST_ORGANIZATION: N_("Host organisation"),
    Field.MATCHING_KIND: N_("Kind of matching"),
    Field.MATCHING_STATUS: N_("Status of matching"),
    Field.THEME: N_("Theme"),
    Field.DESIGNATED: N_("Designated activity"),
    Field.RESIDENCE: N_("Residence"),
    Field.POSTAL_CODE: N_("Postal code"),
    Field.ADDRESS: N_("Address"),
    Field.TIER: N_("Registration tier"),
    Field.REGISTERED_ON: N_("Registered on"),
    Field.RENEWAL_DUE: N_("Renewal due"),
    Field.REGISTRATION_STATUS: N_("Registration status"),
}

_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.DATE: ("日付", "開催日", "実施日", "年月日", "date", "meeting date"),
    Field.START: ("開始", "開始時刻", "開始時間", "start", "start time", "from"),
    Field.END: ("終了", "終了時刻", "終了時間", "end", "end time", "to"),
    Field.CLUB: ("クラブ", "クラブ名", "club", "club name"),
    Field.MUNICIPALITY: ("自治体", "自治体名", "市町村", "市区町村", "自治体コード", "開催自治体",
                         "municipality", "municipality code", "host municipality",
                         "登録自治体", "登録先", "登録先自治体", "registered with"),
    Field.TITLE: ("セッション", "セッション名", "タイトル", "テーマ", "title", "session",
                  "session title"),
    Field.KIND: ("種別", "種類", "kind", "type"),
    Field.FORMAT: ("形式", "開催形式", "実施形式", "format"),
    Field.NAME: ("氏名", "名前", "参加者", "参加者名", "name", "full name", "participant",
                 "name (original name)", "名前(元の名前)", "名前（元の名前）"),
    Field.FAMILY_NAME: ("姓", "苗字", "family name", "last name", "surname"),
    Field.GIVEN_NAME: ("名", "given name", "first name"),
    Field.READING: ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "読み", "よみ", "reading",
                    "furigana", "kana"),
    Field.FAMILY_READING: ("せい", "セイ", "姓ふりがな", "姓(ふりがな)", "family reading"),
    Field.GIVEN_READING: ("めい", "メイ", "名ふりがな", "名(ふりがな)", "given reading"),
    Field.ORGANIZATION: ("所属", "所属先", "所属団体", "団体", "団体名", "会社", "会社名", "勤務先",
                         "organization", "organisation", "affiliation", "company"),
    Field.CATEGORY: ("区分", "参加者区分", "属性", "category"),
    Field.ATTENDANCE: ("出欠", "出席", "出欠席", "attendance", "status"),
    Field.EMAIL: ("メール", "メールアドレス", "eメール", "電子メール", "email", "e-mail", "mail",
                  "user email", "ユーザーメール", "e-mail address", "email address"),
    Field.PHONE: ("電話", "電話番号", "tel", "phone", "phone number", "連絡先"),
    Field.NOTES: ("備考", "メモ", "notes", "note", "memo", "remarks"),
    Field.JOIN_TIME: ("参加時間", "参加時刻", "入室時間", "join time"),
    Field.LEAVE_TIME: ("退出時間", "退出時刻", "退室時間", "leave time"),
    Field.DURATION: ("期間(分)", "時間(分)", "合計期間(分)", "合計時間(分)", "duration (minutes)",
                     "total duration (minutes)", "duration"),
    Field.GUEST: ("ゲスト", "guest"),
    Field.MADE_ON: ("成立日", "マッチング成立日", "成立年月日", "made on", "date made",
                    "matched on", "date matched", "matching date"),
    Field.ENDED_ON: ("終了日", "終了年月日", "ended on", "date ended", "end date"),
    Field.HOST_MUNICIPALITY: ("受入自治体", "受入れ自治体", "受け入れ自治体", "受入市町村",
                              "host municipality", "receiving municipality"),
    Field.HOST_ORGANIZATION: ("受入先", "受入れ先", "受け入れ先", "受入企業", "受入団体",
                              "受入事業者", "host", "host organisation", "host organization",
                              "receiving organisation", "receiving organization"),
    Field.DESIGNATED: ("担い手活動", "担い手", "担い手活動指定", "指定活動", "designated activity",
                       "designated"),
    Field.RESIDENCE: ("居住自治体", "居住市町村", "居住市区町村", "居住地", "お住まいの市区町村",
                      "お住まいの自治体", "residence", "residence municipality",
                      "municipality of residence"),
    Field.POSTAL_CODE: ("郵便番号", "〒", "postal code", "post code", "zip code"),
    Field.ADDRESS: ("住所", "address"),
    Field.TIER: ("登録区分", "登録種別", "登録の種類", "登録種類", "tier", "registration tier",
                 "registration type"),
    Field.REGISTERED_ON: ("登録日", "登録年月日", "registered on", "registration date"),
    Field.RENEWAL_DUE: ("更新期限", "更新日", "更新予定日", "次回更新日", "renewal due",
                        "renewal date"),
    Field.REGISTRATION_STATUS: ("登録状況", "登録状態", "状態", "ステータス",
                                "registration status"),
}

#: In a matching list (a 成立日 column) these headers mean the matching's fields; every other
#: header means what it means anywhere.
_MATCHING_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.PARTY_ORGANIZATION: ("団体", "団体名", "企業", "企業名", "組織", "organisation",
                               "organization", "organisation name", "organization name",
                               "party organisation", "party organization"),
    Field.HOST_MUNICIPALITY: ("自治体", "自治体名", "市町村", "市区町村", "自治体コード",
                              "municipality", "municipality code"),
    Field.MATCHING_KIND: ("種類", "種別", "マッチング種類", "kind", "type", "matching kind"),
    Field.MATCHING_STATUS: ("状態", "状況", "ステータス", "status", "state"),
    Field.THEME: ("テーマ", "内容", "theme", "topic", "subject"),
}

_BY_KEY: dict[str, Field] = {
    search_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}
_MATCHING_BY_KEY: dict[str, Field] = {
    **_BY_KEY,
    **{search_key(alias): field for field, aliases in _MATCHING_ALIASES.items()
       for alias in aliases},
}

_ZOOM_ONLY = {Field.JOIN_TIME, Field.LEAVE_TIME, Field.DURATION, Field.GUEST}
_REGISTRATION_ONLY = {Field.TIER, Field.REGISTERED_ON}
_SESSION_FIELDS = {Field.DATE, Field.CLUB, Field.TITLE}
_NAME_FIELDS = {Field.NAME, Field.FAMILY_NAME}
_MATCHING_PARTIES = {Field.NAME, Field.FAMILY_NAME, Field.PARTY_ORGANIZATION}

#: Required fields per layout (any one of a tuple will do).
REQUIRED: dict[Layout, tuple[tuple[Field, ...], ...]] = {
    Layout.ATTENDANCE: ((Field.DATE,), (Field.CLUB,), (Field.TITLE,),
                        (Field.NAME, Field.FAMILY_NAME)),
    Layout.PEOPLE: ((Field.NAME, Field.FAMILY_NAME),),
    Layout.ZOOM: ((Field.NAME,),),
    Layout.MATCHING: ((Field.MADE_ON,), (Field.NAME, Field.FAMILY_NAME, Field.PARTY_ORGANIZATION),
                      (Field.HOST_MUNICIPALITY, Field.HOST_ORGANIZATION),
                      (Field.MATCHING_KIND,)),
    Layout.REGISTRATION: ((Field.NAME, Field.FAMILY_NAME), (Field.MUNICIPALITY,), (Field.TIER,),
                          (Field.REGISTERED_ON,)),
}

#: Fields each layout uses, in template order.
LAYOUT_FIELDS: dict[Layout, tuple[Field, ...]] = {
    Layout.ATTENDANCE: (Field.DATE, Field.START, Field.END, Field.CLUB, Field.MUNICIPALITY,
                        Field.TITLE, Field.KIND, Field.FORMAT, Field.NAME, Field.FAMILY_NAME,
                        Field.GIVEN_NAME, Field.READING, Field.FAMILY_READING,
                        Field.GIVEN_READING, Field.ORGANIZATION, Field.CATEGORY,
                        Field.ATTENDANCE, Field.EMAIL, Field.DESIGNATED, Field.RESIDENCE),
    Layout.PEOPLE: (Field.NAME, Field.FAMILY_NAME, Field.GIVEN_NAME, Field.READING,
                    Field.FAMILY_READING, Field.GIVEN_READING, Field.ORGANIZATION,
                    Field.CATEGORY, Field.EMAIL, Field.PHONE, Field.NOTES, Field.RESIDENCE,
                    Field.POSTAL_CODE, Field.ADDRESS),
    Layout.ZOOM: (Field.NAME, Field.EMAIL, Field.JOIN_TIME, Field.LEAVE_TIME, Field.DURATION,
                  Field.GUEST),
    Layout.MATCHING: (Field.MADE_ON, Field.NAME, Field.FAMILY_NAME, Field.GIVEN_NAME,
                      Field.READING, Field.FAMILY_READING, Field.GIVEN_READING,
                      Field.ORGANIZATION, Field.PARTY_ORGANIZATION, Field.HOST_MUNICIPALITY,
                      Field.HOST_ORGANIZATION, Field.MATCHING_KIND, Field.MATCHING_STATUS,
                      Field.THEME, Field.CLUB, Field.ENDED_ON, Field.EMAIL, Field.CATEGORY),
    Layout.REGISTRATION: (Field.NAME, Field.FAMILY_NAME, Field.GIVEN_NAME, Field.READING,
                          Field.FAMILY_READING, Field.GIVEN_READING, Field.ORGANIZATION,
                          Field.CATEGORY, Field.EMAIL, Field.PHONE, Field.MUNICIPALITY,
                          Field.TIER, Field.REGISTERED_ON, Field.RENEWAL_DUE,
                          Field.REGISTRATION_STATUS, Field.RESIDENCE, Field.POSTAL_CODE,
                          Field.ADDRESS, Field.NOTES),
}

_LAYOUT_LABELS: dict[Layout, str] = {
    Layout.ATTENDANCE: N_("Attendance (one row per person per session)"),
    Layout.PEOPLE: N_("People and organisations list"),
    Layout.ZOOM: N_("Zoom participant report"),
    Layout.MATCHING: N_("Matching list (one row per matching)"),
    Layout.REGISTRATION: N_("Furusato resident registrations (one row per person and "
                            "municipality)"),
}

_HEADER_SEARCH_ROWS = 30


def field_label(field: Field) -> str:
    """The translated name of a field (for messages and the mapping combo)."""
    return _(_FIELD_LABELS[field])


def layout_label(layout: Layout) -> str:
    """The translated name of a layout."""
    return _(_LAYOUT_LABELS[layout])


def field_of_header(header: Cell, *, matching: bool = False) -> Field | None:
    """The field a header cell names, or ``None`` for an unknown header (``matching``: as a
    matching list's header)."""
    if header is None:
        return None
    return (_MATCHING_BY_KEY if matching else _BY_KEY).get(search_key(str(header)))


@dataclass
class Mapping:
    """The header row and which field each column holds (``None``: ignored)."""

    header_index: int
    """Index of the header row in :attr:`SheetRows.rows`."""
    headers: list[str]
    fields: list[Field | None]

    def column_of(self, field: Field) -> int | None:
        """Index of the first column mapped to ``field``."""
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def present(self) -> set[Field]:
        """The fields some column holds."""
        return {field for field in self.fields if field is not None}

    def header_of(self, field: Field) -> str:
        """The header text of ``field``'s column (as in the file), else the field's name."""
        column = self.column_of(field)
        if column is not None and self.headers[column]:
            return self.headers[column]
        return field_label(field)


def find_header(rows: list[tuple[int, list[Cell]]]) -> Mapping | None:
    """The first row (among the first 30) that names a name column and another known one.

    Zoom reports may start with a meeting-information block; a title line above the header is
    common in hand-made sheets. Both are skipped this way.
    """
    for index, (_number, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        fields = _unique_fields([field_of_header(cell) for cell in cells])
        known = {field for field in fields if field is not None}
        if Field.MADE_ON in known:  # a matching list: its own meaning of 団体, 種類, 状態 …
            fields = _unique_fields([field_of_header(cell, matching=True) for cell in cells])
            known = {field for field in fields if field is not None}
            if known & _MATCHING_PARTIES:
                headers = ["" if cell is None else str(cell).strip() for cell in cells]
                return Mapping(index, headers, fields)
        if known & _NAME_FIELDS and len(known) >= 2:
            headers = ["" if cell is None else str(cell).strip() for cell in cells]
            return Mapping(index, headers, fields)
    return None


def _unique_fields(fields: list[Field | None]) -> list[Field | None]:
    """Keep only the first column of each field (a second 「メール」 column is ignored)."""
    seen: set[Field] = set()
    unique: list[Field | None] = []
    for field in fields:
        if field is not None and field in seen:
            unique.append(None)
            continue
        if field is not None:
            seen.add(field)
        unique.append(field)
    return unique


def detect_layout(mapping: Mapping) -> Layout:
    """A matching list when it has a 成立日 column; Zoom when it has Zoom's columns; a
    registration list when it has 登録区分 or 登録日;
    attendance when it has session columns; else people."""
    present = mapping.present()
    if Field.MADE_ON in present:
        return Layout.MATCHING
    if present & _ZOOM_ONLY and not present & _SESSION_FIELDS:
        return Layout.ZOOM
    if present & _REGISTRATION_ONLY and not present & _SESSION_FIELDS:
        return Layout.REGISTRATION
    if present & _SESSION_FIELDS:
        return Layout.ATTENDANCE
    return Layout.PEOPLE


def missing_fields(mapping: Mapping, layout: Layout) -> list[Field]:
    """Required fields no column holds (the first alternative of each group is named)."""
    present = mapping.present()
    return [group[0] for group in REQUIRED[layout] if not present & set(group)]
