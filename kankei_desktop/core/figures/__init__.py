"""The programme's figures: what is counted, computed live or from the kept tables."""
