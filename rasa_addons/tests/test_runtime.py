"""rasa_addons.runtime: the sequential graph runner against Rasa's dask runner, the action check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from rasa_addons import runtime
from rasa_addons.runtime import SequentialGraphRunner, check_action_result

CALLS: list[str] = []


class Add(GraphComponent):
    """Adds its inputs and its config's `plus`; records each call."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config, model_storage, resource, execution_context, **kwargs):
        return cls(config)

    def add(self, a: int = 0, b: int = 0) -> int:
        CALLS.append(self.config["name"])
        if self.config.get("fail"):
            raise RuntimeError("failed")
        return a + b + self.config["plus"]


def node(name: str, needs: dict[str, str], plus: int, target: bool = False, **config: Any):
    return SchemaNode(
        needs=needs,
        uses=Add,
        constructor_name="create",
        fn="add",
        config={"name": name, "plus": plus, **config},
        is_target=target,
    )


SCHEMA = GraphSchema(
    {
        "first": node("first", {"a": "__input__"}, 1),
        "second": node("second", {"a": "first", "b": "__input__"}, 10),
        "third": node("third", {"a": "second", "b": "first"}, 100, target=True),
        "unused": node("unused", {"a": "__input__"}, 1000),
    }
)


def runners(tmp_path: Path, schema: GraphSchema = SCHEMA):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(schema, "model-id")
    return (
        DaskGraphRunner.create(schema, storage, context),
        SequentialGraphRunner.create(schema, storage, context),
    )


@pytest.mark.parametrize("targets", [["third"], ["second"], ["third", "first"], None])
def test_it_gives_what_the_dask_runner_gives(tmp_path: Path, targets: list[str] | None) -> None:
    dask, sequential = runners(tmp_path)
    CALLS.clear()
    expected = dask.run({"__input__": 2}, targets)
    dask_calls = sorted(CALLS)
    CALLS.clear()
    assert sequential.run({"__input__": 2}, targets) == expected
    # The same nodes ran, once each, and never a node the targets do not need.
    assert sorted(CALLS) == dask_calls
    assert "unused" not in CALLS
    assert CALLS.index("first") < CALLS.index("second") if "second" in CALLS else True


def test_a_failing_node_fails_as_with_dask(tmp_path: Path) -> None:
    schema = GraphSchema({"bad": node("bad", {}, 0, target=True, fail=True)})
    for runner in runners(tmp_path, schema):
        with pytest.raises(GraphComponentException):
            runner.run({}, ["bad"])


def test_a_missing_input_fails_as_with_dask(tmp_path: Path) -> None:
    schema = GraphSchema({"lost": node("lost", {"a": "__absent__"}, 0, target=True)})
    for runner in runners(tmp_path, schema):
        with pytest.raises(GraphRunError, match="Missing input"):
            runner.run({"__input__": 1}, ["lost"])


def test_an_input_named_like_a_node_is_refused(tmp_path: Path) -> None:
    _, sequential = runners(tmp_path)
    with pytest.raises(GraphRunError):
        sequential.run({"__input__": "first"}, ["third"])


@pytest.mark.parametrize(
    "answer",
    [
        {"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "page", "value": None}]},
        {"responses": [{"response": "utter_card", "service_id": "x"}]},
        {},
    ],
)
def test_an_action_servers_answer_in_rasas_shape_passes(answer: dict[str, Any]) -> None:
    assert check_action_result(answer)


@pytest.mark.parametrize(
    "answer",
    [
        None,
        [],
        {"events": {"event": "slot"}},
        {"events": ["slot"]},
        {"events": [{"name": "page"}]},
        {"responses": "text"},
        {"responses": [["utter_card"]]},
    ],
)
def test_an_answer_rasa_could_not_read_is_refused(answer: Any) -> None:
    with pytest.raises(ValidationError):
        check_action_result(answer)


def test_install_replaces_what_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.core.processor

    # The names replaced must exist in this Rasa (3.6.21): a Rasa that moved them fails here.
    assert rasa.core.processor.DaskGraphRunner is DaskGraphRunner
    assert callable(RemoteAction._validate_action_result)
    monkeypatch.setattr(rasa.core.processor, "DaskGraphRunner", DaskGraphRunner)
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    monkeypatch.setattr(runtime, "_installed", False)
    runtime.install()
    runtime.install()
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
    action = RemoteAction("action_find_groups", None)
    assert action._validate_action_result({"events": [], "responses": []})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "no"})


def test_python_m_rasa_addons_is_rasas_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rasa_addons", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Rasa Version" in done.stdout and "3.6.21" in done.stdout
