"""Entry point: `streamlit run streamlit_app.py [-- --data PATH]`."""

import streamlit as st

from dashboard.app import ui

st.set_page_config(page_title="Story explorer", page_icon="🗞️", layout="wide")

context = ui.build_context()
if context is not None:
    pages = [
        st.Page(str(ui.PAGES_DIR / "overview.py"), title="Overview", icon=":material/article:", default=True),
        st.Page(str(ui.PAGES_DIR / "timeline.py"), title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page(str(ui.PAGES_DIR / "network.py"), title="Network", icon=":material/hub:", url_path="network"),
        st.Page(str(ui.PAGES_DIR / "cases.py"), title="Case status", icon=":material/table:", url_path="cases"),
        st.Page(str(ui.PAGES_DIR / "sources.py"), title="Sources", icon=":material/description:", url_path="sources"),
    ]
    st.navigation(pages).run()
    ui.presentation_exit()
