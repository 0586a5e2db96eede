import Foundation
import Ingest
import Storage

extension HomerConfig {
    /// `storage.ducklake.storage_policy.*`: tiered storage as in HOMER 11 (issue 6 item 3). New data lands on the
    /// first volume (lowest `priority`), which is the lake's data_path; files older than a volume's
    /// `max_data_age_days`, or beyond its `move_factor × max_size_gb`, move to the next volume; past the last
    /// volume's age they are dropped.
    public struct StoragePolicy: Sendable, Equatable {
        /// `enable`: tiering on. Default false (everything stays in `data_path`).
        public var enable = false
        /// `ttl_move_interval_sec`: pause between two move passes of `homer serve`. Default 3600.
        public var ttlMoveIntervalSec = 3600
        /// `move_factor`: a volume with `max_size_gb` is over its limit above this fraction of it. Default 0.8.
        public var moveFactor = 0.8
        /// `volumes`: the tiers, any order (sorted by `priority`).
        public var volumes: [Volume] = []

        public init() {}

        /// The volumes in write order: by `priority`, then as listed.
        public var ordered: [Volume] {
            volumes.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
        }
    }

    /// One `storage_policy.volumes[]` entry.
    public struct Volume: Sendable, Equatable {
        /// `name`: unique, shown by `homer lake inspect`. Required.
        public var name: String
        /// `type`: `local` or `s3` (default: from the path).
        public var type: String
        /// `path`: a directory, or `s3://bucket/prefix/`. Required.
        public var path: String
        /// `priority`: lower is written first. Default: the position in the list.
        public var priority: Int
        /// `max_data_age_days`: files of days before `today − N` leave the volume (dropped on the last one);
        /// 0 = no age limit. Default 0.
        public var maxDataAgeDays = 0
        /// `max_size_gb`: size limit in GiB (fractions allowed); 0 = none. Default 0. Not enforced on the last volume.
        public var maxSizeGB = 0.0
        /// `s3`: S3 settings of an s3 volume (same keys as `storage.ducklake.s3`); nil = `storage.ducklake.s3`.
        public var s3: S3?

        public init(name: String, type: String, path: String, priority: Int) {
            self.name = name
            self.type = type
            self.path = path
            self.priority = priority
        }
    }

    /// The `storage.ducklake.storage_policy.*` keys.
    static let storagePolicyKeys: [ConfigKey] = [
        ConfigKey(path: "storage.ducklake.storage_policy.enable", kind: .bool, defaultText: "false",
                  meaning: "Tiered storage: new data on the first volume, older data moved to the next ones.") {
            if case .bool(let v) = $1 { $0.storage.ducklake.storagePolicy.enable = v }
        },
        ConfigKey(path: "storage.ducklake.storage_policy.ttl_move_interval_sec", kind: .int(10...604_800),
                  defaultText: "3600", meaning: "Pause between two move passes of homer serve.") {
            if case .int(let v) = $1 { $0.storage.ducklake.storagePolicy.ttlMoveIntervalSec = v }
        },
        ConfigKey(path: "storage.ducklake.storage_policy.move_factor", kind: .number(0.01...1.0), defaultText: "0.8",
                  meaning: "A volume with max_size_gb sheds its oldest files while above move_factor × max_size_gb.") {
            if case .number(let v) = $1 { $0.storage.ducklake.storagePolicy.moveFactor = v }
        },
        ConfigKey(path: "storage.ducklake.storage_policy.volumes", kind: .volumes, defaultText: "[]",
                  meaning: "The tiers: [{name, type, path, priority, max_data_age_days, max_size_gb, s3}].") {
            if case .volumes(let v) = $1 { $0.storage.ducklake.storagePolicy.volumes = v }
        },
    ]
}

extension HomerConfig.DuckLake {
    /// Where new files land: the first volume's path when `storage_policy.enable`, else `data_path`.
    public var effectiveDataPath: String {
        guard storagePolicy.enable, let first = storagePolicy.ordered.first else { return dataPath }
        return first.path
    }

    /// The S3 settings of the data path: the first volume's `s3` block when tiering, else `storage.ducklake.s3`.
    public var effectiveS3: HomerConfig.S3 {
        guard storagePolicy.enable, let first = storagePolicy.ordered.first, let s3 = first.s3 else { return s3 }
        return s3
    }
}

/// Reads and checks `storage_policy.volumes`; every error names the offending key, e.g.
/// `storage.ducklake.storage_policy.volumes[1].max_data_age_days`.
enum VolumeParser {
    static let volumeKeys = ["name", "type", "path", "priority", "max_data_age_days", "max_size_gb", "s3"]
    static let s3Keys = ["region", "access_key_id", "secret_access_key", "session_token", "endpoint", "url_style", "use_ssl"]

    static func volumes(_ value: JSONValue, key: String) throws(ConfigError) -> [HomerConfig.Volume] {
        guard case .array(let items) = value else {
            throw ConfigError(key: key, "expected an array of volume objects, got \(value.typeName)")
        }
        var out: [HomerConfig.Volume] = []
        for (i, item) in items.enumerated() {
            out.append(try volume(item, key: "\(key)[\(i)]", index: i))
        }
        return out
    }

    static func volume(_ value: JSONValue, key: String, index: Int) throws(ConfigError) -> HomerConfig.Volume {
        guard case .object(let m) = value else { throw ConfigError(key: key, "expected an object, got \(value.typeName)") }
        for name in m.keys.sorted() where !volumeKeys.contains(name) {
            throw ConfigError(key: "\(key).\(name)", "unknown key (known here: \(volumeKeys.joined(separator: ", ")))")
        }
        func string(_ name: String, required: Bool) throws(ConfigError) -> String? {
            switch m[name] {
            case nil, .null?:
                if required { throw ConfigError(key: "\(key).\(name)", "required") }
                return nil
            case .string(let s)?:
                guard !s.isEmpty else { throw ConfigError(key: "\(key).\(name)", "must not be empty") }
                return s
            case let other?:
                throw ConfigError(key: "\(key).\(name)", "expected a string, got \(other.typeName)")
            }
        }
        func int(_ name: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            switch m[name] {
            case nil: return nil
            case .int(let i)?:
                guard range.contains(i) else {
                    throw ConfigError(key: "\(key).\(name)", "\(i) is out of range \(range.lowerBound)…\(range.upperBound)")
                }
                return i
            case let other?:
                throw ConfigError(key: "\(key).\(name)", "expected an integer \(range.lowerBound)…\(range.upperBound), got \(other.typeName)")
            }
        }
        let name = try string("name", required: true) ?? ""
        let path = try string("path", required: true) ?? ""
        let isS3 = path.lowercased().hasPrefix("s3://")
        let type = try string("type", required: false) ?? (isS3 ? "s3" : "local")
        guard type == "local" || type == "s3" else {
            throw ConfigError(key: "\(key).type", "\"\(type)\" is not one of \"local\", \"s3\"")
        }
        if type == "s3" {
            do {
                _ = try S3Options.parseURL(path)
            } catch {
                throw ConfigError(key: "\(key).path", "an s3 volume needs a path s3://bucket/prefix/: \(error)")
            }
        } else if isS3 || path.contains("://") {
            throw ConfigError(key: "\(key).path", "a local volume needs a directory, not \(path)")
        }
        var v = HomerConfig.Volume(name: name, type: type, path: path, priority: try int("priority", 0...1000) ?? index)
        v.maxDataAgeDays = try int("max_data_age_days", 0...36_500) ?? 0
        switch m["max_size_gb"] {
        case nil: break
        case .int(let i)? where i >= 0: v.maxSizeGB = Double(i)
        case .double(let d)? where d >= 0 && d.isFinite: v.maxSizeGB = d
        case .int(let i)?:
            throw ConfigError(key: "\(key).max_size_gb", "\(i) is out of range (a number ≥ 0)")
        case .double(let d)?:
            throw ConfigError(key: "\(key).max_size_gb", "\(d) is out of range (a number ≥ 0)")
        case let other?:
            throw ConfigError(key: "\(key).max_size_gb", "expected a number ≥ 0, got \(other.typeName)")
        }
        if let s3 = m["s3"] {
            guard case .object(let sm) = s3 else { throw ConfigError(key: "\(key).s3", "expected an object, got \(s3.typeName)") }
            guard type == "s3" else { throw ConfigError(key: "\(key).s3", "only for volumes of type s3") }
            v.s3 = try s3Block(sm, key: "\(key).s3")
        }
        return v
    }

    static func s3Block(_ m: [String: JSONValue], key: String) throws(ConfigError) -> HomerConfig.S3 {
        var s3 = HomerConfig.S3()
        for (name, value) in m.sorted(by: { $0.key < $1.key }) {
            let k = "\(key).\(name)"
            func text() throws(ConfigError) -> String? {
                switch value {
                case .null: return nil
                case .string(let s): return s.isEmpty ? nil : s
                default: throw ConfigError(key: k, "expected a string, got \(value.typeName)")
                }
            }
            switch name {
            case "region": s3.region = try text() ?? s3.region
            case "access_key_id": s3.accessKeyID = try text()
            case "secret_access_key": s3.secretAccessKey = try text()
            case "session_token": s3.sessionToken = try text()
            case "endpoint":
                s3.endpoint = try text()
                if let e = s3.endpoint, ListenAddress(parsing: e) == nil {
                    throw ConfigError(key: k, "\"\(e)\" is not a valid host:port address")
                }
            case "url_style":
                let style = try text() ?? "path"
                guard style == "path" || style == "vhost" else { throw ConfigError(key: k, "\"\(style)\" is not one of \"path\", \"vhost\"") }
                s3.urlStyle = style
            case "use_ssl":
                guard case .bool(let b) = value else { throw ConfigError(key: k, "expected a boolean, got \(value.typeName)") }
                s3.useSSL = b
            default:
                throw ConfigError(key: k, "unknown key (known here: \(s3Keys.joined(separator: ", ")))")
            }
        }
        return s3
    }

    /// Cross-checks of an enabled policy.
    static func validate(_ c: HomerConfig.DuckLake) throws(ConfigError) {
        let p = c.storagePolicy
        let key = "storage.ducklake.storage_policy.volumes"
        guard p.enable else { return }
        guard !p.volumes.isEmpty else { throw ConfigError(key: key, "at least one volume is needed when storage_policy.enable is true") }
        var names = Set<String>(), priorities = Set<Int>(), paths = Set<String>()
        for (i, v) in p.volumes.enumerated() {
            guard names.insert(v.name).inserted else { throw ConfigError(key: "\(key)[\(i)].name", "duplicate volume name \"\(v.name)\"") }
            guard priorities.insert(v.priority).inserted else {
                throw ConfigError(key: "\(key)[\(i)].priority", "duplicate priority \(v.priority)")
            }
            guard paths.insert(normalised(v.path)).inserted else { throw ConfigError(key: "\(key)[\(i)].path", "two volumes share \(v.path)") }
        }
        // data_path left at its default follows the first volume; set to something else, it is a contradiction.
        let first = p.ordered[0]
        if c.dataPath != HomerConfig.DuckLake().dataPath && normalised(c.dataPath) != normalised(first.path) {
            throw ConfigError(key: "storage.ducklake.data_path",
                              "\(c.dataPath) differs from the first volume's path \(first.path) (new data lands on the first volume; leave data_path unset or equal to it)")
        }
    }

    static func normalised(_ path: String) -> String {
        var p = path
        if p.hasPrefix("./") { p.removeFirst(2) }
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
