"""The figure rules as plain SQL text (``core/figures/rule_sql.py``, for ``kankei stats`` on a
bare ``sqlite3`` connection) are the rules of ``rule.py``, ``scope.py`` and ``matchings.py``
compiled: regenerate the module with ``tools/rule_sql.py`` after changing a rule."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from kankei_desktop.core.figures import matchings, rule, rule_sql, scope

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rule_sql_tool", ROOT / "tools" / "rule_sql.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_module_is_what_the_tool_writes_now() -> None:
    tool = _tool()
    assert tool.TARGET.read_text(encoding="utf-8") == tool.render(), \
        "run: .venv/bin/python tools/rule_sql.py"
    assert tool.main(["--check"]) == 0


def test_its_texts_are_the_rules_compiled() -> None:
    generated = {name: value for name, value in vars(rule_sql).items()
                 if name.isupper() and isinstance(value, str)}
    compiled = {**rule.compiled_fragments(), **scope.compiled_fragments(),
                **matchings.compiled_statements()}
    assert generated == compiled
    assert scope.club_in_scope_sql("c") == rule_sql.CLUB_IN_SCOPE_C
    assert rule_sql.ROW_COUNTS == rule.ROW_COUNTS


#: A status compared in SQL: the counting rule spelled out.
_SPELLED = re.compile(r"status\s*(=|IN\s*\()\s*'(attended|held)'", re.IGNORECASE)


def test_the_counting_conditions_are_spelled_only_by_the_rule() -> None:
    """Outside the old migrations (history), only the text generated from ``rule.py``
    compares a status with 'attended' or 'held' in SQL (``rule.py`` states it as
    expressions)."""
    spelled = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "kankei_desktop").rglob("*.py")
        if "migrations" not in path.parts and _SPELLED.search(path.read_text(encoding="utf-8")))
    assert spelled == ["kankei_desktop/core/figures/rule_sql.py"]
