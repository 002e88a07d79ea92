"""What data/raw holds, and whether a database is older than it: asked on every `make run`, so it imports nothing heavy."""

from __future__ import annotations

from pathlib import Path

SUPPORTED = (".txt", ".pdf")


def raw_sources(raw_dir: str | Path) -> list[Path]:
    """The disclosures under data/raw: single files, and folders holding the files of one disclosure."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if (p.is_file() and p.suffix.lower() in SUPPORTED) or (p.is_dir() and not p.name.startswith(".")))


def needs_build(db: str | Path, raw_dir: str | Path) -> bool:
    """True when the database is missing or older than any source or mapping it is built from."""
    db = Path(db)
    if not db.exists():
        return True
    built = db.stat().st_mtime
    inputs = [f for p in raw_sources(raw_dir) for f in ([p] if p.is_file() else p.iterdir())]
    inputs += list((Path(raw_dir).parent / "mappings").glob("*.csv"))
    inputs += list((Path(raw_dir).parent / "layouts").glob("*.csv"))
    inputs += [p for p in (Path(raw_dir).parent / "departments.csv",) if p.exists()]
    inputs += list((Path(__file__).parent / "db").glob("*.sql"))  # a schema or view change rebuilds
    return any(p.stat().st_mtime > built for p in inputs)
