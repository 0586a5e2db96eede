import API
import DuckLake
import HEP
import Hub
import Ingest
import Parquet
import Storage

/// Configuration and wiring of the homer server.
public enum HomerServerModule {}
