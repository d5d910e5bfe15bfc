"""The Streamlit app: the only package that imports Streamlit. Thin pages over the layers below."""
