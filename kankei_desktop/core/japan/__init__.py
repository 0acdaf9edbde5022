"""Japanese text, dates, codes and the municipality master."""
