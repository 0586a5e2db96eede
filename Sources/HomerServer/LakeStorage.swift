import DuckLake
import Foundation
import Storage

/// Opens the configured lake: the SQLite catalog and where its data files live (a local directory, or an S3 bucket
/// for `data_path: "s3://bucket/prefix/"` with the `storage.ducklake.s3` block; credentials and region left unset
/// there come from the standard `AWS_*` variables).
public enum LakeStorage {
    /// The catalog and its files. For S3, new files are staged under `<data directory>/staging` before upload.
    public static func open(_ c: HomerConfig.DuckLake, dataDirectory: String,
                            environment: [String: String]) throws -> (catalog: SQLiteCatalog, files: any LakeFiles) {
        guard c.catalogType == "sqlite" else {
            throw ConfigError(key: "storage.ducklake.catalog_type", "only \"sqlite\" is supported")
        }
        let directory = URL(fileURLWithPath: c.catalogPath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard c.dataPath.lowercased().hasPrefix("s3://") else {
            try FileManager.default.createDirectory(atPath: c.dataPath, withIntermediateDirectories: true)
            let catalog = try SQLiteCatalog(path: c.catalogPath, dataPath: c.dataPath)
            return (catalog, LocalLakeFiles(root: catalog.dataPath))
        }
        var s3 = S3Options(region: c.s3.region, accessKeyID: c.s3.accessKeyID, secretAccessKey: c.s3.secretAccessKey,
                           sessionToken: c.s3.sessionToken, endpoint: c.s3.endpoint,
                           urlStyle: c.s3.urlStyle == "vhost" ? .virtualHosted : .path, useSSL: c.s3.useSSL)
        s3 = s3.resolved(environment: environment)
        let store: any ObjectStore
        do {
            store = try ObjectStores.make(dataPath: c.dataPath, s3: s3)
        } catch {
            throw ConfigError(key: "storage.ducklake.data_path", "\(error)")
        }
        let catalog = try SQLiteCatalog(path: c.catalogPath, dataPath: c.dataPath)
        let files = ObjectStoreLakeFiles(store: store, dataPath: catalog.dataPath,
                                         stagingDirectory: dataDirectory + "/staging")
        return (catalog, files)
    }
}
