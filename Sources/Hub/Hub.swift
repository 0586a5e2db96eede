import API

/// The Hub: routes queries to the nodes holding the time range.
public enum HubModule {}
