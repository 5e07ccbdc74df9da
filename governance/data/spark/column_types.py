"""Spark's column types as the DuckDB type names the data interface speaks
(`governance.data.column_types` reads them)."""

from __future__ import annotations

from typing import Any

_SIMPLE = {
    "StringType": "VARCHAR",
    "VarcharType": "VARCHAR",
    "CharType": "VARCHAR",
    "ByteType": "TINYINT",
    "ShortType": "SMALLINT",
    "IntegerType": "INTEGER",
    "LongType": "BIGINT",
    "FloatType": "FLOAT",
    "DoubleType": "DOUBLE",
    "BooleanType": "BOOLEAN",
    "DateType": "DATE",
    "TimestampType": "TIMESTAMP WITH TIME ZONE",
    "TimestampNTZType": "TIMESTAMP",
    "BinaryType": "BLOB",
    "NullType": '"NULL"',
}


def duckdb_type_name(spark_type: Any) -> str:
    """The DuckDB name of a Spark `DataType` (an unknown one by its Spark name, upper case)."""
    kind = type(spark_type).__name__
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind == "DecimalType":
        return f"DECIMAL({spark_type.precision},{spark_type.scale})"
    if kind == "ArrayType":
        return f"{duckdb_type_name(spark_type.elementType)}[]"
    if kind == "MapType":
        key, value = duckdb_type_name(spark_type.keyType), duckdb_type_name(spark_type.valueType)
        return f"MAP({key}, {value})"
    if kind == "StructType":
        fields = ", ".join(
            f'"{f.name.replace(chr(34), chr(34) * 2)}" {duckdb_type_name(f.dataType)}'
            for f in spark_type.fields
        )
        return f"STRUCT({fields})"
    return str(spark_type.simpleString()).upper()
