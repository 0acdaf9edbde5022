"""Offline sync between coordinators by exported bundle files (no Qt).

See :mod:`kankei_desktop.sync.merge` for the merge rules and
:mod:`kankei_desktop.sync.bundle` for the file format.
"""
