import AsyncHTTPClient
import Logging

/// Builds the store named by a `data_path`.
public enum ObjectStores {
    /// `s3://bucket/prefix/` → `S3ObjectStore` with `s3` (bucket and prefix taken from the URL); anything else is a
    /// local directory → `LocalObjectStore` (created if missing). Call `shutdown()` on the result when done.
    /// `s3` should already be `resolved(environment:)` by the caller.
    public static func make(dataPath: String, s3: S3Options = S3Options(), httpClient: HTTPClient? = nil,
                            logger: Logger = Logger(label: "homer.storage")) throws -> any ObjectStore {
        if dataPath.lowercased().hasPrefix("s3://") {
            var options = s3
            let location = try S3Options.parseURL(dataPath)
            options.bucket = location.bucket
            options.prefix = location.prefix
            return try S3ObjectStore(options: options, httpClient: httpClient, logger: logger)
        }
        var path = dataPath
        if path.hasPrefix("file://") { path.removeFirst("file://".count) }
        return try LocalObjectStore(root: path)
    }
}
