/// Object stores: local filesystem and S3.
public enum StorageModule {}
