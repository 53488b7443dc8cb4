"""Fixtures shared by the page tests."""

import pytest


@pytest.fixture
def downloaded_names(monkeypatch):
    """The file names the page's download buttons offer: kept by Streamlit's media storage with the data, or
    with the function that makes the data on a click (a chart's PNG)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    names = []
    keep = MemoryMediaFileStorage.load_and_get_id

    def remember(self, path_or_data, mimetype, kind, filename=None):
        names.append(filename)
        return keep(self, path_or_data, mimetype, kind, filename)

    keep_deferred = MediaFileManager.add_deferred

    def remember_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        names.append(file_name)
        return keep_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", remember)
    monkeypatch.setattr(MediaFileManager, "add_deferred", remember_deferred)
    return names
