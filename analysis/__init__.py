"""QuickScan analysis core: pure functions on data, shared by the command line, pages and exports.

Nothing in this package imports streamlit or reads global state.
"""
