"""The server: the dashboard (``dashboard.py``) with, beside it, the participant page of a live session.

``streamlit run app.py`` serves both on one port. The participant page is a light static page with a small
JSON API (``ui/participant``), so that sixty phones in one room do not each run the dashboard.
"""

import streamlit as st

from ui.participant.routes import participant_routes

app = st.App("dashboard.py", routes=participant_routes())
