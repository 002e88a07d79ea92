"""DuckDB storage: the internal schema, the public views, atomic writes and read-only connections."""
