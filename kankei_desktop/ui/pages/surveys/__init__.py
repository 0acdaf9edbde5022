"""The アンケート page (issue 19): questionnaires, paper answers typed back, online forms
imported, results."""
