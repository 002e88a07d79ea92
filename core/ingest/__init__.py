"""Readers that turn published documents into the normalized records of core.ingest.model."""
