"""The one error type that user input can raise; its message is Dutch and says what and where."""


class IngestError(ValueError):
    """Input that cannot be analysed. ``str(error)`` is a single line meant for the user."""

    def __init__(self, message: str):
        # Values quoted from a file may hold line breaks; the message must stay one line.
        super().__init__(" ".join(str(message).split()))
