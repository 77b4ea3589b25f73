"""The `familyhub` command: one entry point, one sub-command per job."""

from __future__ import annotations

import click

from bot.directory.commands import directory
from bot.handoff.commands import mentors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Family Hub helper: multilingual signposting chatbot for families with babies."""


@main.command()
def run() -> None:
    """Start the whole service (Rasa, action server, gateway); Ctrl-C stops it all."""
    from bot.supervisor import run_all

    run_all()


@main.command()
@click.option("--force", is_flag=True, help="Train even if nothing changed.")
def train(force: bool) -> None:
    """Train the Rasa model, only when its data or config changed."""
    from bot.training import train_model

    train_model(force=force)


@main.command()
def detect() -> None:
    """For each line on stdin, print its language and crisis screen result as JSON."""
    from bot.detect import detect_lines

    detect_lines()


main.add_command(directory)
main.add_command(mentors)
