"""`python -m rasa_addons run …`: Rasa's own command line, with two costs of a turn removed.

Rasa 3.6 offers no setting for either, so `install()` replaces them in the running process,
before Rasa loads a model. Rasa Open Source 3.6.21 is its last open-source release (pinned in
requirements/rasa.txt), so what is replaced here will not move under us; the tests check that
each replaced name still exists. `rasa train`, `rasa test` and `rasa data validate` are run
as `rasa …` and are not changed.

1. **The prediction graphs run in order, without dask.** Rasa runs its NLU pipeline once per
   message and its policy graph once per predicted action through `DaskGraphRunner`, which
   asks dask to schedule a graph of about ten nodes on every run: dask's ordering and
   dependency walk cost more CPU than the RulePolicy itself. `SequentialGraphRunner` runs the
   same nodes in a fixed dependency order, giving each node what dask would give it (the
   outputs of the nodes it needs, or the bare name of a need that has no node, as dask does).
   Training keeps dask.

2. **An answer from our action server is checked with plain type checks.** Rasa validates
   each answer with `jsonschema.validate`, which first re-checks Rasa's large events schema
   against the JSON Schema meta-schema. The action server is ours (`bot/actions`, rasa-sdk);
   `check_action_result` checks the shape Rasa relies on (`events` and `responses`, lists of
   objects, each event naming its type), and Rasa still refuses any event it cannot read.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNode, GraphNodeHook, GraphSchema
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.storage import ModelStorage

log = logging.getLogger(__name__)


class SequentialGraphRunner(GraphRunner):
    """Runs a Rasa graph's nodes one after another in dependency order (no dask)."""

    def __init__(
        self,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> None:
        self._graph_schema = graph_schema
        self._execution_context = execution_context
        self._nodes: dict[str, GraphNode] = {
            name: GraphNode.from_schema_node(
                name, schema_node, model_storage, execution_context, hooks
            )
            for name, schema_node in graph_schema.nodes.items()
        }
        self._orders: dict[tuple, list[str]] = {}

    @classmethod
    def create(
        cls,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> SequentialGraphRunner:
        return cls(graph_schema, model_storage, execution_context, hooks)

    def _order(self, targets: list[str]) -> list[str]:
        """The nodes the targets need, each after its needs (worked out once per target list)."""
        key = tuple(targets)
        found = self._orders.get(key)
        if found is None:
            nodes = self._graph_schema.minimal_graph_schema(targets).nodes
            found, done = [], set()

            def visit(name: str, path: tuple) -> None:
                if name in done or name not in nodes:
                    return
                if name in path:
                    raise GraphRunError(f"The graph has a cycle through '{name}'.")
                for need in nodes[name].needs.values():
                    visit(need, (*path, name))
                done.add(name)
                found.append(name)

            for name in nodes:
                visit(name, ())
            self._orders[key] = found
        return found

    def run(
        self,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        """Runs the graph (see GraphRunner): the targets' outputs by target name."""
        run_targets = targets if targets else self._graph_schema.target_names
        results: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            results[name] = (name, value)
        try:
            for name in self._order(run_targets):
                needs = self._graph_schema.nodes[name].needs.values()
                # A need with no node and no input is passed as its bare name, as dask does.
                results[name] = self._nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)


def check_action_result(result: Any) -> bool:
    """An action server's answer has the shape Rasa reads; ValidationError otherwise."""
    from jsonschema import ValidationError

    def fail(what: str) -> None:
        raise ValidationError(
            f"{what}. Failed to validate Action server response from API, make sure your "
            f"response from the Action endpoint is valid."
        )

    if not isinstance(result, dict):
        fail("The answer is not an object")
    for key in ("events", "responses"):
        if key in result and not isinstance(result[key], list):
            fail(f"'{key}' is not a list")
        if any(not isinstance(item, dict) for item in result.get(key) or []):
            fail(f"An item of '{key}' is not an object")
    if any(not isinstance(event.get("event"), str) for event in result.get("events") or []):
        fail("An event does not name its type")
    return True


_installed = False


def install() -> None:
    """Put both replacements in place (idempotent); before Rasa loads a model."""
    global _installed
    if _installed:
        return
    import rasa.core.processor
    from rasa.core.actions.action import RemoteAction

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
    RemoteAction._validate_action_result = (  # type: ignore[method-assign]
        lambda self, result: check_action_result(result)
    )
    _installed = True
    log.debug("rasa_addons.runtime installed")


def main() -> None:
    """`rasa …` with `install()` done first."""
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()
