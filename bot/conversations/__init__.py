"""Conversations on top of the store: web sessions, transcripts, consent, erasure and retention."""
