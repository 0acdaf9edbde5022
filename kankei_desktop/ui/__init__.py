"""The Qt window (PySide6); nothing outside this package and app.py imports Qt."""
