"""Exports shaped like the real ones of Google Forms and Microsoft Forms.

Google Forms (a response sheet downloaded as CSV, or saved again by Japanese Excel as cp932 or
"CSV UTF-8" with a BOM): 「タイムスタンプ」 as 「2021/12/16 15:02:11」, the collected
「メールアドレス」, then one column per question; several answers joined with ", "; free
texts with line breaks and commas inside quotes.

Microsoft Forms ("Open in Excel", an .xlsx): 「ID」, 「開始時刻」, 「完了時刻」 (date cells),
「メール」, 「名前」 (「anonymous」 for anonymous answers), 「最終変更時刻」, then the
questions; ratings as numbers, several answers joined with ";" and ended by one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

Q_SCALE = "本日のセッションの満足度を教えてください"
Q_MULTI = "参加のきっかけを教えてください（複数選択可）"
Q_SINGLE = "今後の参加意向"
Q_TEXT = "ご感想・ご意見をご自由にお書きください"
QUESTIONS = [Q_SCALE, Q_MULTI, Q_SINGLE, Q_TEXT]

INTRO = "知人・同僚の紹介"
WORK = "勤務先からの案内"
SNS = "SNS（Facebook, X など）"  # an option holding the separator, inside brackets
OTHER = "その他"


@dataclass(frozen=True)
class Answer:
    """One respondent's answers."""

    email: str
    name: str
    scale: int | None
    motives: tuple[str, ...]
    intention: str
    text: str


ANSWERS = [
    Answer("hanako@example.jp", "山田 花子", 5, (INTRO, SNS), "ぜひ参加したい",
           "とても勉強になりました。\n次回も楽しみにしています！"),
    Answer("", "", 4, (WORK,), "機会があれば参加したい",
           "自治体の方と直接話せたのが良かったです, 特にブレイクアウトの時間が。"),
    Answer("Taro@Example.JP", "佐藤 太郎", 5, (SNS,), "ぜひ参加したい", ""),
    Answer("", "", 3, (INTRO, WORK), "わからない", "時間が少し短く感じました。"),
    Answer("", "", 4, (WORK, SNS), "機会があれば参加したい",
           "資料を事前に共有していただけると助かります。"),
    Answer("", "鈴木 一郎", 5, (INTRO,), "ぜひ参加したい", "特になし"),
    Answer("", "", 2, (OTHER,), "わからない", "音声が聞き取りにくい場面がありました。"),
    Answer("", "", None, (WORK,), "ぜひ参加したい",
           "\"地域の課題\"を具体的に知ることができました。\r\n\r\nありがとうございました。"),
]

#: What the summary of :data:`ANSWERS` says, question by question.
EXPECTED = [
    {"text": Q_SCALE, "kind": "scale", "answered": 7,
     "counts": {"1": 0, "2": 1, "3": 1, "4": 2, "5": 3}, "mean": 28 / 7},
    {"text": Q_MULTI, "kind": "multiple", "answered": 8,
     "counts": {INTRO: 3, SNS: 3, WORK: 4, OTHER: 1}, "mean": None},
    {"text": Q_SINGLE, "kind": "single", "answered": 8,
     "counts": {"ぜひ参加したい": 4, "機会があれば参加したい": 2, "わからない": 2},
     "mean": None},
    {"text": Q_TEXT, "kind": "text", "answered": 7, "counts": {}, "mean": None,
     "texts": ["とても勉強になりました。\n次回も楽しみにしています！",
               "自治体の方と直接話せたのが良かったです, 特にブレイクアウトの時間が。",
               "時間が少し短く感じました。", "資料を事前に共有していただけると助かります。",
               "特になし", "音声が聞き取りにくい場面がありました。",
               "\"地域の課題\"を具体的に知ることができました。\n\nありがとうございました。"]},
]

START = datetime(2021, 12, 16, 15, 2, 11)


def _when(index: int) -> datetime:
    return START + timedelta(minutes=3 * index, seconds=17 * index)


def google_rows(answers: list[Answer] = ANSWERS) -> list[list[str]]:
    """Header and rows as the Google response sheet holds them (Japanese locale)."""
    rows = [["タイムスタンプ", "メールアドレス", *QUESTIONS]]
    for index, answer in enumerate(answers):
        rows.append([f"{_when(index):%Y/%m/%d %H:%M:%S}", answer.email,
                     "" if answer.scale is None else str(answer.scale),
                     ", ".join(answer.motives), answer.intention, answer.text])
    return rows


def write_google_csv(path: Path, *, encoding: str = "utf-8",
                     answers: list[Answer] = ANSWERS) -> Path:
    """Google's CSV (UTF-8, no BOM), or the same saved by Excel (``cp932``, ``utf-8-sig``):
    CRLF line ends, quotes only where needed."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(google_rows(answers))
    return path


def write_google_xlsx(path: Path) -> Path:
    """The Google response sheet downloaded as .xlsx (timestamps as date cells)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "フォームの回答 1"
    rows = google_rows()
    sheet.append(rows[0])
    for index, row in enumerate(rows[1:]):
        sheet.append([_when(index), row[1], int(row[2]) if row[2] else None, *row[3:]])
        sheet.cell(row=index + 2, column=1).number_format = "yyyy/mm/dd hh:mm:ss"
    book.save(path)
    return path


MICROSOFT_HEADERS = {
    "ja": ["ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻"],
    "en": ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
}


def microsoft_rows(lang: str = "ja", answers: list[Answer] = ANSWERS) -> list[list[object]]:
    """Header and rows as Microsoft Forms' workbook holds them."""
    rows: list[list[object]] = [[*MICROSOFT_HEADERS[lang], *QUESTIONS]]
    for index, answer in enumerate(answers):
        done = _when(index)
        rows.append([index + 1, done - timedelta(minutes=2, seconds=5), done,
                     answer.email or "anonymous", answer.name or "anonymous", None,
                     answer.scale, "".join(f"{motive};" for motive in answer.motives),
                     answer.intention, answer.text.replace("\r\n", "\n") or None])
    return rows


def write_microsoft_xlsx(path: Path, lang: str = "ja",
                         answers: list[Answer] = ANSWERS) -> Path:
    """Microsoft Forms' "Open in Excel" workbook (Sheet1, date cells, number ratings)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    for number, row in enumerate(microsoft_rows(lang, answers), start=1):
        sheet.append(row)
        if number > 1:
            for column in (2, 3):
                sheet.cell(row=number, column=column).number_format = "m/d/yy h:mm:ss"
    book.save(path)
    return path


def write_microsoft_csv(path: Path, *, lang: str = "en", encoding: str = "utf-8-sig") -> Path:
    """The Microsoft workbook saved by Excel as CSV (times as Excel shows them)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        for number, row in enumerate(microsoft_rows(lang)):
            writer.writerow([f"{value:%m/%d/%Y %H:%M:%S}" if isinstance(value, datetime)
                             else "" if value is None else value for value in row]
                            if number else row)
    return path
