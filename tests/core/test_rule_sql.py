"""The counting rule as SQL text (``rule_sql``, for the queries without SQLAlchemy) is the
rule of ``rule.py`` compiled: regenerate it with ``tools/rule_sql.py`` after a change."""

from __future__ import annotations

from kankei_desktop.core.figures import rule, rule_sql


def test_the_generated_fragments_are_the_rule_compiled() -> None:
    compiled = rule.compiled_fragments()
    generated = {name: value for name, value in vars(rule_sql).items()
                 if name.isupper() and isinstance(value, str)}
    assert generated == compiled, "run: .venv/bin/python tools/rule_sql.py"
