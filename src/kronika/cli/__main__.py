"""``python -m kronika.cli``: the ``kronika`` command."""

from kronika.cli import app

app()
