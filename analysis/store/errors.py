"""One Dutch line for everything that can go wrong between the app and its database.

Pages and the command line catch ``StoreError`` (a ``RoundError``, so code that already handles
round problems handles these too) and show its message; they never see SQLAlchemy's exceptions.
"""

from __future__ import annotations

import contextlib
import errno

from sqlalchemy import exc as sa_exc

from analysis.errors import RoundError


class StoreError(RoundError):
    """The database cannot be reached, read or written; the message says which and where."""


def _reason(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "de database is alleen-lezen (geen schrijfrechten)"
    if "unable to open" in text or "permission denied" in text:
        return "de database kan niet worden geopend (bestaat de map, en zijn er rechten?)"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "het databasebestand is beschadigd of geen database"
    if "locked" in text or "busy" in text:
        return "de database is te lang bezet door een andere schrijver"
    if "disk" in text and ("full" in text or "i/o" in text):
        return "de schijf is vol of gaf een leesfout"
    if "password" in text or "authentication" in text:
        return "de databaseserver weigert de inlog (gebruiker of wachtwoord)"
    if "does not exist" in text and "database" in text:
        return "de database bestaat niet op de server"
    if "connect" in text or "connection" in text or "could not translate host" in text or "timeout" in text:
        return "de databaseserver is niet bereikbaar"
    return "de database gaf een onverwachte fout"


OS_REASONS = {errno.EACCES: "geen rechten", errno.EPERM: "geen rechten", errno.EROFS: "alleen-lezen bestandssysteem",
              errno.ENOSPC: "de schijf is vol", errno.ENOTDIR: "een deel van het pad is geen map"}


def os_reason(error: OSError) -> str:
    return OS_REASONS.get(error.errno, error.strerror or "onbekende fout")


def store_error(error: BaseException, location: str, action: str) -> StoreError:
    return StoreError(f"De meetrondes in {location} konden niet worden {action}: {_reason(error)}.")


@contextlib.contextmanager
def translated(location: str, action: str):
    """Turn any database failure inside the block into a StoreError naming the place and the cause."""
    try:
        yield
    except StoreError:
        raise
    except (sa_exc.SQLAlchemyError, OSError) as error:
        raise store_error(error, location, action) from error
