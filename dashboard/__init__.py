"""Story explorer: a Streamlit dashboard over one curated CSV of sourced statements."""
