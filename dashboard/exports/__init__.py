"""The story leaving the dashboard: graph files for Gephi (GEXF, GraphML), the rows behind a view
(CSV, JSON, a re-openable data package), FollowTheMoney entities for Aleph, and one self-contained
story page for readers. Pure functions over a view state (`Context`); no Streamlit here. Every export is
registered in `registry.py`, the one way out for the app and the command line.
"""
