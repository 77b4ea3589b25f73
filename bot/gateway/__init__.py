"""The gateway: one Starlette app (`app.create_app`) for the web chat, /healthz, the NLG
endpoint and Telegram, built by `startup`; every parent message goes through one turn
(`turn.Router.take`), whichever channel (`channels/`) it came from."""
