"""The story leaving the dashboard: graph files for Gephi (GEXF, GraphML), the rows behind a view
(CSV, JSON, a re-openable data package), FollowTheMoney entities for Aleph, and one self-contained
story page for readers. Pure functions over a `Selection`; no Streamlit here (see dashboard/app/downloads.py).
"""
