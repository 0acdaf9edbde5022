"""The drawing of our own PDFs as simple operations, so a printer gets vectors, not images.

Printing renders each page onto the printer's painter. Rasterising the PDF (QtPdf) would
send a 600 dpi image per page (≈ 140 MB uncompressed for A4) and lose the text; instead the
content streams reportlab wrote are replayed: paths (lines, rectangles, curves) with their
colours and widths, and text runs with their font, size, position, horizontal scale and
colour. Only the operators reportlab's documents use are interpreted (the report builder is
ours, so that set is known); anything else is skipped. No Qt here: the painting is in
``ui/pages/reports/printing.py``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

Matrix = tuple[float, float, float, float, float, float]
Colour = tuple[float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second`` (PDF's row-vector convention: ``first × second``)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


@dataclass(frozen=True)
class PathOp:
    """A painted path in page space (points, y up): subpaths of segments."""

    subpaths: list[list[tuple[str, tuple[float, ...]]]]
    """Each subpath: ``("M", (x, y))``, ``("L", (x, y))``, ``("C", (x1, y1, x2, y2, x, y))``,
    ``("Z", ())``."""
    stroke: bool
    fill: bool
    even_odd: bool
    stroke_colour: Colour
    fill_colour: Colour
    line_width: float
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    dash: tuple[float, ...] = ()
    cap: int = 0
    join: int = 0


@dataclass(frozen=True)
class TextOp:
    """A run of text: drawn from its origin along ``matrix`` (text space → page space)."""

    text: str
    font: str
    """The font's name without the subset prefix: ``IPAexMincho``."""
    size: float
    matrix: Matrix
    """Text space (x to the right, y up, in units of the font size × horizontal scale) to
    page space, including the size."""
    widths: list[float]
    """Each character's advance in text space units (thousandths of the size)."""
    colour: Colour
    alpha: float = 1.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0


@dataclass
class PageDrawing:
    """One page: its size (points) and what is drawn on it, in order."""

    width: float
    height: float
    operations: list[PathOp | TextOp] = field(default_factory=list)

    def text(self) -> str:
        return "".join(op.text for op in self.operations if isinstance(op, TextOp))


@dataclass
class _Font:
    name: str
    chars: dict[int, str]
    widths: dict[int, float]


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    stroke: Colour = (0.0, 0.0, 0.0)
    fill: Colour = (0.0, 0.0, 0.0)
    line_width: float = 1.0
    dash: tuple[float, ...] = ()
    cap: int = 0
    join: int = 0
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    font: _Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0

    def copy(self) -> _State:
        return _State(**self.__dict__)


_CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap (bfchar and bfrange sections) as code → text."""
    chars: dict[int, str] = {}
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in _CMAP_RANGE.findall(section):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                chars[code] = chr(first + offset)
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _CMAP_CHAR.findall(section):
            chars[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be",
                                                                         "replace")
    return chars


def _font(resource: Any) -> _Font:
    font = resource.get_object()
    name = str(font.get("/BaseFont", "/Font"))[1:]
    name = name.split("+", 1)[1] if "+" in name[:7] else name
    chars = {}
    if "/ToUnicode" in font:
        chars = _to_unicode(font["/ToUnicode"].get_object().get_data())
    widths: dict[int, float] = {}
    if "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        widths = {first + index: float(width)
                  for index, width in enumerate(font["/Widths"].get_object())}
    return _Font(name, chars, widths)


def read_pages(pdf: bytes) -> list[PageDrawing]:
    """Every page of ``pdf`` as a :class:`PageDrawing`."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        box = page.mediabox
        drawing = PageDrawing(float(box.width), float(box.height))
        resources = page.get("/Resources") or {}
        fonts = {str(key): _font(value) for key, value in
                 (resources.get("/Font") or {}).items()}
        states = {str(key): value.get_object() for key, value in
                  (resources.get("/ExtGState") or {}).items()}
        contents = page.get_contents()
        if contents is not None:
            operations = ContentStream(contents, reader).operations
            drawing.operations = list(_interpret(operations, fonts, states))
        pages.append(drawing)
    return pages


def _numbers(operands: list[Any]) -> list[float]:
    return [float(value) for value in operands]


def _interpret(operations: list[tuple[list[Any], bytes]], fonts: dict[str, _Font],
               graphics_states: dict[str, Any]) -> Iterator[PathOp | TextOp]:
    """Yield what the content stream paints (see the module docstring for the subset)."""
    state = _State()
    stack: list[_State] = []
    subpaths: list[list[tuple[str, tuple[float, ...]]]] = []
    text_matrix = line_matrix = IDENTITY
    for operands, operator in operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
        if op == "q":
            stack.append(state.copy())
        elif op == "Q":
            state = stack.pop() if stack else _State()
        elif op == "cm":
            state.ctm = multiply(tuple(_numbers(operands)), state.ctm)  # type: ignore[arg-type]
        elif op == "w":
            state.line_width = float(operands[0])
        elif op == "J":
            state.cap = int(operands[0])
        elif op == "j":
            state.join = int(operands[0])
        elif op == "d":
            state.dash = tuple(float(value) for value in operands[0])
        elif op in ("RG", "rg", "G", "g", "K", "k"):
            colour = _colour(_numbers(operands))
            if op in ("RG", "G", "K"):
                state.stroke = colour
            else:
                state.fill = colour
        elif op == "gs":
            extra = graphics_states.get(str(operands[0]), {})
            state.fill_alpha = float(extra.get("/ca", state.fill_alpha))
            state.stroke_alpha = float(extra.get("/CA", state.stroke_alpha))
        elif op in ("m", "l", "c", "v", "y", "h", "re"):
            _path(op, _numbers(operands) if op != "h" else [], state.ctm, subpaths)
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            if op in ("s", "b", "b*"):
                for subpath in subpaths:
                    subpath.append(("Z", ()))
            if op != "n" and subpaths:
                yield PathOp(subpaths, op in ("S", "s", "B", "B*", "b", "b*"),
                             op not in ("S", "s"), op.endswith("*"), state.stroke, state.fill,
                             state.line_width * _scale(state.ctm), state.fill_alpha,
                             state.stroke_alpha,
                             tuple(value * _scale(state.ctm) for value in state.dash),
                             state.cap, state.join)
            subpaths = []
        elif op == "BT":
            text_matrix = line_matrix = IDENTITY
        elif op == "Tf":
            state.font = fonts.get(str(operands[0]))
            state.size = float(operands[1])
        elif op == "TL":
            state.leading = float(operands[0])
        elif op == "Tc":
            state.char_spacing = float(operands[0])
        elif op == "Tw":
            state.word_spacing = float(operands[0])
        elif op == "Tz":
            state.horizontal_scale = float(operands[0]) / 100
        elif op == "Ts":
            state.rise = float(operands[0])
        elif op == "Tm":
            text_matrix = line_matrix = tuple(_numbers(operands))  # type: ignore[assignment]
        elif op in ("Td", "TD"):
            x, y = _numbers(operands)
            if op == "TD":
                state.leading = -y
            text_matrix = line_matrix = multiply((1, 0, 0, 1, x, y), line_matrix)
        elif op in ("T*", "'", '"'):
            if op == '"':
                state.word_spacing, state.char_spacing = float(operands[0]), float(operands[1])
            text_matrix = line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
        if op in ("Tj", "'", '"', "TJ"):
            for item in (operands[0] if op == "TJ" else [operands[-1]]):
                if isinstance(item, (int, float)):  # a TJ adjustment (thousandths)
                    shift = -float(item) / 1000 * state.size * state.horizontal_scale
                    text_matrix = multiply((1, 0, 0, 1, shift, 0), text_matrix)
                    continue
                run, advance = _run(item, state, text_matrix)
                if run is not None:
                    yield run
                text_matrix = multiply((1, 0, 0, 1, advance, 0), text_matrix)


def _colour(values: list[float]) -> Colour:
    if len(values) == 1:
        return (values[0], values[0], values[0])
    if len(values) == 4:
        c, m, y, k = values
        return (1 - min(1.0, c + k), 1 - min(1.0, m + k), 1 - min(1.0, y + k))
    return (values[0], values[1], values[2])


def _scale(matrix: Matrix) -> float:
    a, b, c, d, _e, _f = matrix
    return float(abs(a * d - b * c) ** 0.5)


def _path(op: str, values: list[float], ctm: Matrix,
          subpaths: list[list[tuple[str, tuple[float, ...]]]]) -> None:
    def point(x: float, y: float) -> tuple[float, float]:
        return apply(ctm, x, y)

    if op == "re":
        x, y, width, height = values
        subpaths.append([("M", point(x, y)), ("L", point(x + width, y)),
                         ("L", point(x + width, y + height)), ("L", point(x, y + height)),
                         ("Z", ())])
    elif op == "m":
        subpaths.append([("M", point(*values))])
    elif op == "h":
        if subpaths:
            subpaths[-1].append(("Z", ()))
    elif subpaths:
        current = subpaths[-1]
        if op == "l":
            current.append(("L", point(*values)))
        else:
            last = _last_point(current)
            if op == "c":
                x1, y1, x2, y2, x3, y3 = values
            elif op == "v":
                x2, y2, x3, y3 = values
                x1, y1 = last
            else:  # y
                x1, y1, x3, y3 = values
                x2, y2 = x3, y3
            current.append(("C", (*point(x1, y1), *point(x2, y2), *point(x3, y3))) if op != "v"
                           else ("C", (x1, y1, *point(x2, y2), *point(x3, y3))))


def _last_point(subpath: list[tuple[str, tuple[float, ...]]]) -> tuple[float, float]:
    for kind, values in reversed(subpath):
        if kind in ("M", "L"):
            return values[0], values[1]
        if kind == "C":
            return values[4], values[5]
    return 0.0, 0.0


def _run(item: Any, state: _State, text_matrix: Matrix) -> tuple[TextOp | None, float]:
    """The run a string operand shows and its advance (text space units)."""
    raw = item.original_bytes if hasattr(item, "original_bytes") else (
        item if isinstance(item, bytes) else str(item).encode("latin-1", "replace"))
    font = state.font
    if font is None or not raw:
        return None, 0.0
    widths = [font.widths.get(code, 0.0) for code in raw]
    text = "".join(font.chars.get(code, "") for code in raw)
    advance = 0.0
    for code, width in zip(raw, widths, strict=True):
        advance += (width / 1000 * state.size + state.char_spacing
                    + (state.word_spacing if code == 32 else 0.0)) * state.horizontal_scale
    matrix = multiply((state.size * state.horizontal_scale, 0, 0, state.size, 0, state.rise),
                      multiply(text_matrix, state.ctm))
    return TextOp(text, font.name, state.size, matrix, widths, state.fill, state.fill_alpha,
                  state.char_spacing, state.word_spacing, state.horizontal_scale), advance
