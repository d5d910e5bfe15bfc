"""Timeline page: not built yet."""

import streamlit as st

from dashboard import ui

context = ui.page_header("Timeline")
st.info("This view is being built.")
