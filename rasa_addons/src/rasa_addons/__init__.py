"""The Family Hub helper's code that runs inside the Rasa server's own environment.

Rasa Open Source 3.6 runs in `.venv-rasa` (Python 3.10, Rasa's pinned libraries). What we add
to it lives here, and only here: classes that Rasa loads by module path from `bot/endpoints.yml`
(or `bot/config.yml`). This package imports Rasa and its dependencies, never the `bot` package,
which runs in the other environment. See README.md beside `src/`.

- `rasa_addons.tracker_store.WindowedSQLTrackerStore`: Rasa's SQL tracker store, loading a
  bounded window of the session, so a turn costs the same at the 200th message as at the 5th.
- `rasa_addons.nlg.KeepAliveNLG`: the NLG endpoint client, over kept-alive connections, sending
  the slots instead of the whole tracker.
- `rasa_addons.runtime` (`python -m rasa_addons run …`): Rasa's command line with the
  prediction graphs run without dask and our action server's answers checked by type.
"""

__version__ = "0.1.0"
