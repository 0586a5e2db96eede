/// Parquet writer and pruning reader for flat schemas.
public enum ParquetModule {}
