"""Where the file sits decides the journal mode: WAL on local disks, rollback on shares.

WAL relies on shared memory that network file systems do not provide, so a file on an
SMB/NFS share (a town hall's shared drive) uses the classic rollback journal instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "9p", "afs", "fuse.sshfs", "davfs", "ncpfs"}
)


def is_network_path(path: Path) -> bool:
    """Best-effort: is ``path`` on a network share?"""
    if os.environ.get("KANKEI_ASSUME_NETWORK_SHARE") == "1":
        return True
    text = str(path)
    if sys.platform == "win32":
        return text.startswith(("\\\\", "//")) or _windows_remote_drive(path)
    return _mount_fstype(path) in NETWORK_FILESYSTEMS


def journal_mode_for(path: Path) -> str:
    """``WAL`` for local files, ``DELETE`` for files on network shares."""
    return "DELETE" if is_network_path(path) else "WAL"


def _mount_fstype(path: Path) -> str:
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    target = str(path.resolve())
    best, best_type = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _windows_remote_drive(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if not drive:
        return False
    drive_remote = 4
    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - windll exists only on Windows
    return bool(kernel32.GetDriveTypeW(drive + "\\") == drive_remote)
