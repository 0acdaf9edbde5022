"""ふるさと住民 page (issue 20)."""
