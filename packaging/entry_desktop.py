"""Frozen entry point of ``kankei-desktop`` (the window; ``--cli`` runs the ``kankei`` CLI)."""

import multiprocessing
import os
import sys


def _attach_windows_output() -> None:
    """A windowed Windows build has no ``sys.stdout``: use the caller's console or pipe.

    So that ``kankei-desktop.exe --self-test`` (and ``--cli``) print their lines when started
    from a terminal or a script. Without a caller's console nothing changes.
    """
    if sys.platform != "win32" or sys.stdout is not None:
        return
    try:
        import ctypes
        import msvcrt

        kernel32 = ctypes.windll.kernel32
        for number, name in ((-11, "stdout"), (-12, "stderr")):
            handle = kernel32.GetStdHandle(number)
            if not handle or handle == -1:
                if not kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
                    continue
                setattr(sys, name, open("CONOUT$", "w", encoding="utf-8", buffering=1))  # noqa: SIM115
                continue
            descriptor = msvcrt.open_osfhandle(handle, os.O_WRONLY)
            setattr(sys, name, open(descriptor, "w", encoding="utf-8", buffering=1))  # noqa: SIM115
    except Exception:  # best effort; the window works without it
        return


if __name__ == "__main__":
    # A large bundle is checked in a child process (sync.background_check); in a frozen
    # build that child is this program started again, and this call runs it.
    multiprocessing.freeze_support()
    if "--self-test" in sys.argv or (len(sys.argv) > 1 and sys.argv[1] == "--cli"):
        _attach_windows_output()
    if len(sys.argv) > 1 and sys.argv[1] == "--cli":
        from kankei_desktop.commands.cli import main as cli_main

        raise SystemExit(cli_main(sys.argv[2:]))
    from kankei_desktop.app import main

    raise SystemExit(main())
