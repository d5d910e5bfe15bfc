"""The data layer: reading a statements CSV and its data package, checking every row against the
schema and the source documents, the typed model the views are built from, and the disk cache of
checked datasets. Imports nothing above it (no derivation, view, export or Streamlit)."""
