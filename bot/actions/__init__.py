"""Rasa custom actions (rasa-sdk): they read slots and the directory, and choose responses."""
