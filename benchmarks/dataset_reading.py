"""Benchmark: how the store should read a dataset file, measured on the fairness benchmark's data.

Three ways to serve the queries of an audit's rules from one file, each in a fresh DuckDB
connection, timed from opening the file to the last rule's result:
- `table, every column`: the file loaded once into a table (the store's way before), then
  each rule queries the table;
- `table, used columns`: the same with only the union of the columns the rules use;
- `in place`: a view over the file's reader; each rule's query reads the columns it names.
With 1 rule (the fairness check's group-by of 60 intersections by label and prediction) and 3
rules (that group-by and two others on other columns, as an audit with several rules on one
dataset does). The data is `benchmarks/fairness.py`'s (6 columns: 3 sensitive features, label,
prediction, score), as Parquet and as the same rows written to CSV by DuckDB.
Times are the best of `--repeat` (wall, and CPU of every thread of this process: the machine
is shared, CPU time is the steadier figure); the load average is printed beside them.

Run: `PYTHONPATH=$PWD python benchmarks/dataset_reading.py` (`--rows N`, `--repeat N`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from fairness import make_data

RULES = (
    "SELECT sex, race, age, y, p, count(*) FROM {t} GROUP BY sex, race, age, y, p",
    "SELECT sex, p, count(*) FROM {t} GROUP BY GROUPING SETS ((sex, p), (race, p), (age, p))",
    "SELECT race, y, count(*), count(*) FILTER (WHERE score > 0.5) FROM {t} GROUP BY race, y",
)
USED = "sex, race, age, y, p, score"


def best(repeat: int, setup: Callable[[duckdb.DuckDBPyConnection], object], rules: int) -> str:
    walls, cpus = [], []
    for _ in range(repeat):
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
        wall, cpu = time.perf_counter(), time.process_time()
        setup(connection)
        for rule in RULES[:rules]:
            connection.execute(rule.format(t="d")).fetchall()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        connection.close()
    return f"{min(walls):>8.3f}{min(cpus):>8.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows or [1_000_000, 5_000_000]:
            parquet, csv = Path(folder) / "data.parquet", Path(folder) / "data.csv"
            make_data(rows, parquet)
            duckdb.execute(f"COPY (SELECT * FROM '{parquet}') TO '{csv}' (HEADER)")
            load = " ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"\n{rows:,} rows (load average {load}); best of {args.repeat}")
            print(f"{'file':<9}{'approach':<22}{'rules':>6}{'wall s':>8}{'cpu s':>8}")
            for name, reader in (
                ("parquet", f"read_parquet('{parquet}')"),
                ("csv", f"read_csv('{csv}', header = true, delim = ',', skip = 0)"),
            ):
                approaches = {
                    "table, every column": f"CREATE TABLE d AS SELECT * FROM {reader}",
                    "table, used columns": f"CREATE TABLE d AS SELECT {USED} FROM {reader}",
                    "in place": f"CREATE VIEW d AS SELECT * FROM {reader}",
                }
                for rules in (1, 3):
                    for approach, statement in approaches.items():
                        timing = best(args.repeat, lambda c, s=statement: c.execute(s), rules)
                        print(f"{name:<9}{approach:<22}{rules:>6}{timing}")


if __name__ == "__main__":
    main()
