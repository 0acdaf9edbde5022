"""Frozen entry point of the ``kankei`` command-line program."""

if __name__ == "__main__":
    from kankei_desktop.cli import main

    raise SystemExit(main())
