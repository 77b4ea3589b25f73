"""`familyhub mentors …`: invite, list, pause, resume and remove mentors, through click."""

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.handoff import mentors
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import Conversation, Handoff, Message, utcnow


def test_invite_prints_a_one_time_link_that_registers_once(command_settings: Settings) -> None:
    result = CliRunner().invoke(
        main,
        [
            "mentors",
            "invite",
            "--name",
            "Amina",
            "--languages",
            "so,en",
            "--organisation",
            "Manor Gardens",
        ],
    )
    assert result.exit_code == 0, result.output
    code = result.output.strip().splitlines()[-1].split()[-1].split("start=")[-1]
    db = Database(command_settings.database_url)
    with db.session() as session:
        assert mentors.register(session, command_settings, code, 11, 11) is not None
    with db.session() as session:
        assert mentors.register(session, command_settings, code, 12, 12) is None, (
            "an invite works once"
        )
    listing = CliRunner().invoke(main, ["mentors", "list"])
    assert "Amina" in listing.output and "active" in listing.output


def test_pause_and_remove(command_settings: Settings) -> None:
    CliRunner().invoke(
        main,
        [
            "mentors",
            "invite",
            "--name",
            "Hodan",
            "--languages",
            "so",
            "--organisation",
            "Manor Gardens",
        ],
    )
    assert CliRunner().invoke(main, ["mentors", "resume", "1"]).exit_code != 0, "not registered yet"
    assert CliRunner().invoke(main, ["mentors", "pause", "1"]).exit_code == 0
    assert "paused" in CliRunner().invoke(main, ["mentors", "list"]).output
    assert CliRunner().invoke(main, ["mentors", "remove", "1"]).exit_code == 0
    assert "Hodan" not in CliRunner().invoke(main, ["mentors", "list"]).output
    assert CliRunner().invoke(main, ["mentors", "remove", "9"]).exit_code != 0


def test_bad_languages_are_a_usage_error(command_settings: Settings) -> None:
    result = CliRunner().invoke(
        main, ["mentors", "invite", "--name", "X", "--languages", "fr", "--organisation", "Y"]
    )
    assert result.exit_code == 2 and "languages" in result.output


def test_removing_a_mentor_sends_their_conversations_back_to_the_queue(
    command_settings: Settings,
) -> None:
    db = Database(command_settings.database_url)
    db.migrate()
    with db.session() as session:
        _mentor, code = mentors.invite(session, command_settings, "Hodan", "so", "Manor Gardens")
    with db.session() as session:
        mentor = mentors.register(session, command_settings, code, 21, 21)
        assert mentor is not None
        conversation = Conversation(channel="web", external_id_hash="x", language="so")
        session.add(conversation)
        session.flush()
        session.add(
            Handoff(
                conversation_id=conversation.id,
                language="so",
                state="active",
                mentor_id=mentor.id,
                accepted_at=utcnow(),
            )
        )
        mentor_id, conversation_id = mentor.id, conversation.id

    result = CliRunner().invoke(main, ["mentors", "remove", str(mentor_id)])

    assert result.exit_code == 0, result.output
    assert "1 conversation(s) they held went back to the queue" in result.output
    with db.session() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert handoff.state == "queued" and handoff.mentor_id is None
        told = session.scalars(
            select(Message.text).where(Message.conversation_id == conversation_id)
        ).all()
    assert any("lataliyahaaga" in text for text in told), "the parent is told, in Somali"
