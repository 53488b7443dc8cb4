"""Fixtures shared by the page tests."""

import pytest


@pytest.fixture
def downloaded_names(monkeypatch):
    """The file names the page's download buttons offer (kept by Streamlit's media storage with the data)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    names = []
    keep = MemoryMediaFileStorage.load_and_get_id

    def remember(self, path_or_data, mimetype, kind, filename=None):
        names.append(filename)
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", remember)
    return names
