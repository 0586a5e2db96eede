import HEP
import Parquet
import Storage

/// DuckLake catalog, table writer, snapshot reader and maintenance.
public enum DuckLakeModule {}
