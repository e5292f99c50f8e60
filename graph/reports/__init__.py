"""The report layer: audit reports built from the answers of the question layer."""
