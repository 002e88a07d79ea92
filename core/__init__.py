"""juesuan core: ingest, store, compute and audit department final accounts; no UI code here."""

__version__ = "0.1.0"
