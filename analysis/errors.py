"""The one error type that user input can raise; its message is Dutch and says what and where."""

MAX_QUOTED_CHARS = 80


class IngestError(ValueError):
    """Input that cannot be analysed. ``str(error)`` is a single line meant for the user."""

    def __init__(self, message: str):
        # Values quoted from a file may hold line breaks; the message must stay one line.
        super().__init__(" ".join(str(message).split()))


def quoted(value, limit: int = MAX_QUOTED_CHARS) -> str:
    """A value from a file, cut to LIMIT characters, for use inside a message: a cell can be megabytes."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RoundError(ValueError):
    """A Dutch, single-line message about the store or a round in it."""


class RoundMissing(RoundError):
    """The round asked for is not in the store (deleted, perhaps by someone else a moment ago)."""
