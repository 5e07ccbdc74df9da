"""Apache Spark as a data engine: the same operations as DuckDB, on a cluster."""
