"""Records interchange (records.md): reading, validating, importing and exporting."""
