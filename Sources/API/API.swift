import DuckLake

/// The node's HTTP API.
public enum APIModule {}
