import HEP

/// HEP listeners, batching and the durable spool.
public enum IngestModule {}
