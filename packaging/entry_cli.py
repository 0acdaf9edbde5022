"""Frozen entry point of the ``kankei`` command-line program."""

import multiprocessing

if __name__ == "__main__":
    # A large bundle is checked in a child process (sync.background_check); in a frozen
    # build that child is this program started again, and this call runs it.
    multiprocessing.freeze_support()
    from kankei_desktop.commands.cli import main

    raise SystemExit(main())
