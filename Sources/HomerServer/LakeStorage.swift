import DuckLake
import Foundation
import Storage

/// Opens the configured lake: the SQLite catalog and where its data files live (a local directory, or an S3 bucket
/// for `data_path: "s3://bucket/prefix/"` with the `storage.ducklake.s3` block; credentials and region left unset
/// there come from the standard `AWS_*` variables). With `storage_policy.enable`, the first volume is the data path
/// and the files are a `TieredLakeFiles` over every volume (its `policy` drives `LakeTiering`).
public enum LakeStorage {
    /// The catalog and its files. For S3, new files are staged under `<data directory>/staging` before upload.
    public static func open(_ c: HomerConfig.DuckLake, dataDirectory: String,
                            environment: [String: String]) throws -> (catalog: SQLiteCatalog, files: any LakeFiles) {
        guard c.catalogType == "sqlite" else {
            throw ConfigError(key: "storage.ducklake.catalog_type", "only \"sqlite\" is supported")
        }
        let directory = URL(fileURLWithPath: c.catalogPath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dataPath = c.effectiveDataPath
        let catalog: SQLiteCatalog
        let primary: any LakeFiles
        if !dataPath.lowercased().hasPrefix("s3://") {
            try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
            catalog = try SQLiteCatalog(path: c.catalogPath, dataPath: dataPath)
            primary = LocalLakeFiles(root: catalog.dataPath)
        } else {
            let store = try makeStore(dataPath, c.effectiveS3, environment: environment, key: "storage.ducklake.data_path")
            catalog = try SQLiteCatalog(path: c.catalogPath, dataPath: dataPath)
            primary = ObjectStoreLakeFiles(store: store, dataPath: catalog.dataPath, stagingDirectory: dataDirectory + "/staging")
        }
        guard c.storagePolicy.enable else { return (catalog, primary) }
        var volumes: [LakeVolume] = []
        for (i, v) in c.storagePolicy.ordered.enumerated() {
            let root = i == 0 ? catalog.dataPath : absoluteRoot(v.path)
            let key = "storage.ducklake.storage_policy.volumes[\(v.name)].path"
            let store: any ObjectStore
            if v.type == "s3" {
                store = try makeStore(root, v.s3 ?? c.s3, environment: environment, key: key)
            } else {
                do {
                    store = try LocalObjectStore(root: root)
                } catch {
                    throw ConfigError(key: key, "\(error)")
                }
            }
            volumes.append(LakeVolume(name: v.name, root: root, store: store,
                                      maxDataAgeDays: v.maxDataAgeDays > 0 ? v.maxDataAgeDays : nil,
                                      maxSizeBytes: v.maxSizeGB > 0 ? Int64(v.maxSizeGB * 1_073_741_824) : nil))
        }
        var policy = LakeTieringPolicy(volumes: volumes, stagingDirectory: dataDirectory + "/staging")
        policy.moveFactor = c.storagePolicy.moveFactor
        return (catalog, TieredLakeFiles(primary: primary, policy: policy))
    }

    /// (name, root) of each volume in write order, roots as catalog paths start with them — for `homer lake
    /// inspect`, which needs no store. Without a policy: the data path alone.
    public static func volumeRoots(_ c: HomerConfig.DuckLake, catalogDataPath: String) -> [(name: String, root: String)] {
        guard c.storagePolicy.enable else { return [("data_path", catalogDataPath)] }
        return c.storagePolicy.ordered.enumerated().map { i, v in (v.name, i == 0 ? catalogDataPath : absoluteRoot(v.path)) }
    }

    /// A volume path as catalog paths spell it: absolute with a trailing `/` (s3 URLs unchanged but for the `/`).
    static func absoluteRoot(_ path: String) -> String {
        var p = path
        if !p.contains("://") && !p.hasPrefix("/") {
            p = FileManager.default.currentDirectoryPath + "/" + (p.hasPrefix("./") ? String(p.dropFirst(2)) : p)
        }
        return p.hasSuffix("/") ? p : p + "/"
    }

    static func makeStore(_ url: String, _ c: HomerConfig.S3, environment: [String: String], key: String) throws -> any ObjectStore {
        var s3 = S3Options(region: c.region, accessKeyID: c.accessKeyID, secretAccessKey: c.secretAccessKey,
                           sessionToken: c.sessionToken, endpoint: c.endpoint,
                           urlStyle: c.urlStyle == "vhost" ? .virtualHosted : .path, useSSL: c.useSSL)
        s3 = s3.resolved(environment: environment)
        do {
            return try ObjectStores.make(dataPath: url, s3: s3)
        } catch {
            throw ConfigError(key: key, "\(error)")
        }
    }
}
