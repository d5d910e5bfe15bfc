"""Entry point: `streamlit run streamlit_app.py [-- --data PATH]`.

Streamlit reads this file in two ways. Starting the server, it imports it and serves `app`:
Streamlit's own server with one thing in front, its front-end files answered from memory and
gzipped once (dashboard/app/frontend_files.py), so a new reader costs the server little more than
their own script runs; and Nagle's algorithm off on its connections (dashboard/app/tcp.py). For
every reader's session it runs the file as `__main__`: the five pages.
"""

import os

# One BLAS thread, set before NumPy loads (Streamlit imports this file to start the server, before
# any page's script): the server runs many readers' scripts at once on a few cores, and OpenBLAS's
# own threads for the network layout's small matrices only fight them (2-6x slower under load).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

if __name__ == "__main__":
    from dashboard.app import ui

    st.set_page_config(page_title="Story explorer", page_icon="🗞️", layout="wide")

    context = ui.build_context()
    if context is not None:
        pages_dir = ui.PAGES_DIR
        pages = [
            st.Page(str(pages_dir / "overview.py"), title="Overview", icon=":material/article:", default=True),
            st.Page(str(pages_dir / "timeline.py"), title="Timeline", icon=":material/timeline:", url_path="timeline"),
            st.Page(str(pages_dir / "network.py"), title="Network", icon=":material/hub:", url_path="network"),
            st.Page(str(pages_dir / "cases.py"), title="Case status", icon=":material/table:", url_path="cases"),
            st.Page(str(pages_dir / "sources.py"), title="Sources", icon=":material/description:", url_path="sources"),
        ]
        st.navigation(pages).run()
        ui.presentation_exit()
else:
    from starlette.middleware import Middleware

    from dashboard.app import tcp
    from dashboard.app.frontend_files import FrontEndFiles

    tcp.turn_off_nagle()  # Streamlit's listening socket is bound by now: see dashboard/app/tcp.py
    app = st.App(__file__, middleware=[Middleware(FrontEndFiles)])
