"""`familyhub directory …` (placeholder until the directory is built)."""

import click


@click.group()
def directory() -> None:
    """Check and report on the services directory."""
