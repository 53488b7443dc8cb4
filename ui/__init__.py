"""Streamlit glue shared by the pages: session state, bounded caches and small widget helpers."""
