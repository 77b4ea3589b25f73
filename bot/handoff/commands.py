"""`familyhub mentors …` (placeholder until the handoff is built)."""

import click


@click.group()
def mentors() -> None:
    """Invite, list, pause and remove mentors."""
