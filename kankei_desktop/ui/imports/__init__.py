"""File ▸ Import…: spreadsheets and Zoom participant reports."""
