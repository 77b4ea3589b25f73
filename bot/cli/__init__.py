"""The `familyhub` command: one entry point, one sub-command per job.

This is the outer edge: the settings are read here (`get_settings`) and passed on.
"""

from __future__ import annotations

import click

from bot.cli.directory import directory
from bot.cli.erasure import erasure
from bot.cli.i18n import i18n
from bot.cli.mentors import mentors
from bot.cli.reports import report
from bot.cli.staff import staff
from bot.settings import get_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Family Hub helper: multilingual signposting chatbot for families with babies."""


@main.command()
@click.option(
    "--role",
    type=click.Choice(["all", "gateway", "rasa", "actions"]),
    default="all",
    show_default=True,
    help="Run one kind of process only, for a process manager (docs/deploy.md).",
)
def run(role: str) -> None:
    """Start the whole service (Rasa, action server, gateway), or one kind of process; Ctrl-C
    stops it all."""
    from bot.supervisor import run_all, run_role

    if role == "all":
        run_all(get_settings())
    else:
        run_role(get_settings(), role)


@main.command()
@click.option("--force", is_flag=True, help="Train even if nothing changed.")
def train(force: bool) -> None:
    """Train the Rasa model, only when its data or config changed."""
    from bot.training import train_detector, train_model

    model_dir = get_settings().model_dir
    train_model(force=force, model_dir=model_dir)
    train_detector(model_dir, force=force)


@main.command()
def detect() -> None:
    """For each line on stdin, print its language and crisis screen result as JSON."""
    from bot.detect import detect_lines
    from bot.safety import safety_net

    detect_lines(net=safety_net(get_settings().model_dir))


main.add_command(directory)
main.add_command(erasure)
main.add_command(i18n)
main.add_command(mentors)
main.add_command(report)
main.add_command(staff)
