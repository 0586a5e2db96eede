import Foundation
import Ingest

/// A configuration problem: which key, and what is wrong. `homer serve` prints it and exits with code 2.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dotted key (or environment variable) at fault; nil for whole-file problems (unreadable, not JSON).
    public let key: String?
    public let message: String

    public init(key: String?, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { key.map { "\($0): \(message)" } ?? message }
}

/// Reads the configuration: defaults, then the JSON file, then `HOMER_*` environment overrides.
public enum ConfigLoader {
    /// - Parameters:
    ///   - file: JSON config file path; nil = defaults only.
    ///   - environment: usually `ProcessInfo.processInfo.environment`; only variables named after a key are used.
    public static func load(file: String?, environment: [String: String]) throws(ConfigError) -> HomerConfig {
        var data: Data?
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ConfigError(key: nil, "cannot read config file \(file)")
            }
            data = contents
        }
        return try load(json: data, environment: environment)
    }

    /// The configuration from a JSON document (nil: defaults only) and the environment, validated: `load(file:)`
    /// without the file read.
    public static func load(json data: Data?, environment: [String: String]) throws(ConfigError) -> HomerConfig {
        var config = HomerConfig()
        if let data { try apply(json: data, to: &config) }
        try apply(environment: environment, to: &config)
        try validate(config)
        return config
    }

    /// Applies a JSON document to `config`. Unknown keys, wrong types and bad values name the key.
    public static func apply(json data: Data, to config: inout HomerConfig) throws(ConfigError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConfigError(key: nil, "the config file is not valid JSON: \(describe(error))")
        }
        guard case .object(let members) = root else {
            throw ConfigError(key: nil, "the config file must hold a JSON object")
        }
        try walk(members, prefix: "", into: &config)
    }

    private static let byPath: [String: ConfigKey] = Dictionary(uniqueKeysWithValues: HomerConfig.keys.map { ($0.path, $0) })
    private static let sections: Set<String> = {
        var s = Set<String>()
        for k in HomerConfig.keys {
            var parts = k.path.split(separator: ".").dropLast()
            while !parts.isEmpty {
                s.insert(parts.joined(separator: "."))
                parts = parts.dropLast()
            }
        }
        return s
    }()

    private static func walk(_ members: [String: JSONValue], prefix: String, into config: inout HomerConfig)
        throws(ConfigError)
    {
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let path = prefix.isEmpty ? name : prefix + "." + name
            if sections.contains(path) {
                guard case .object(let inner) = value else {
                    throw ConfigError(key: path, "expected an object, got \(value.typeName)")
                }
                try walk(inner, prefix: path, into: &config)
            } else if let key = byPath[path] {
                key.apply(&config, try convert(value, for: key))
            } else {
                throw ConfigError(key: path, "unknown key" + suggestion(for: path))
            }
        }
    }

    private static func suggestion(for path: String) -> String {
        let parent = path.split(separator: ".").dropLast().joined(separator: ".")
        let siblings = HomerConfig.keys.map(\.path).filter {
            $0.hasPrefix(parent.isEmpty ? "" : parent + ".")
        }.map { $0.dropFirst(parent.isEmpty ? 0 : parent.count + 1).split(separator: ".").first.map(String.init) ?? "" }
        let unique = Array(Set(siblings)).sorted()
        return unique.isEmpty ? "" : " (known here: \(unique.joined(separator: ", ")))"
    }

    private static func convert(_ value: JSONValue, for key: ConfigKey) throws(ConfigError) -> ConfigKey.Value {
        let wrongType = ConfigError(key: key.path, "expected \(key.typeText), got \(value.typeName)")
        switch key.kind {
        case .bool:
            guard case .bool(let b) = value else { throw wrongType }
            return .bool(b)
        case .int(let range):
            guard case .int(let i) = value else { throw wrongType }
            guard range.contains(i) else {
                throw ConfigError(key: key.path, "\(i) is out of range \(range.lowerBound)…\(range.upperBound)")
            }
            return .int(i)
        case .string:
            guard case .string(let s) = value else { throw wrongType }
            guard !s.isEmpty else { throw ConfigError(key: key.path, "must not be empty") }
            return .string(s)
        case .optionalString:
            switch value {
            case .null: return .optionalString(nil)
            case .string(let s): return .optionalString(s.isEmpty ? nil : s)
            default: throw wrongType
            }
        case .address, .optionalAddress:
            let optional = if case .optionalAddress = key.kind { true } else { false }
            switch value {
            case .null where optional: return .address(nil)
            case .string(let s):
                if s.isEmpty && optional { return .address(nil) }
                guard let a = ListenAddress(parsing: s) else {
                    throw ConfigError(key: key.path, "\"\(s)\" is not a valid host:port address")
                }
                return .address(a)
            default: throw wrongType
            }
        case .stringList:
            guard case .array(let items) = value else { throw wrongType }
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item, !s.isEmpty else { throw wrongType }
                out.append(s)
            }
            return .list(out)
        case .choice(let choices):
            guard case .string(let s) = value else { throw wrongType }
            guard choices.contains(s) else { throw ConfigError(key: key.path, "\"\(s)\" is not \(key.typeText)") }
            return .string(s)
        case .number(let range):
            let d: Double
            switch value {
            case .int(let i): d = Double(i)
            case .double(let x): d = x
            default: throw wrongType
            }
            guard range.contains(d) else {
                throw ConfigError(key: key.path, "\(d) is out of range \(range.lowerBound)…\(range.upperBound)")
            }
            return .number(d)
        case .volumes:
            return .volumes(try VolumeParser.volumes(value, key: key.path))
        }
    }

    /// Applies `HOMER_<SECTION>_<KEY>` variables. Values are text: booleans `true/false/1/0/yes/no/on/off`, lists
    /// comma-separated, an empty value unsets an optional key. Variables not named after a key are ignored.
    public static func apply(environment: [String: String], to config: inout HomerConfig) throws(ConfigError) {
        for key in HomerConfig.keys {
            guard let text = environment[key.environmentName] else { continue }
            let value: JSONValue
            switch key.kind {
            case .bool:
                switch text.lowercased() {
                case "true", "1", "yes", "on": value = .bool(true)
                case "false", "0", "no", "off": value = .bool(false)
                default: throw ConfigError(key: key.environmentName, "expected a boolean (true/false), got \"\(text)\"")
                }
            case .int:
                guard let i = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ConfigError(key: key.environmentName, "expected an integer, got \"\(text)\"")
                }
                value = .int(i)
            case .stringList:
                value = .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            case .number:
                guard let d = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ConfigError(key: key.environmentName, "expected a number, got \"\(text)\"")
                }
                value = .double(d)
            case .volumes:
                do {
                    value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                } catch {
                    throw ConfigError(key: key.environmentName, "expected a JSON array of volume objects: \(describe(error))")
                }
            default:
                value = .string(text)
            }
            do {
                key.apply(&config, try convert(value, for: key))
            } catch {
                throw ConfigError(key: key.environmentName, error.message)
            }
        }
    }

    /// Cross-key checks.
    static func validate(_ c: HomerConfig) throws(ConfigError) {
        if c.hep.tls.listen != nil {
            if c.hep.tls.cert == nil { throw ConfigError(key: "hep.tls.cert", "required when hep.tls.listen is set") }
            if c.hep.tls.key == nil { throw ConfigError(key: "hep.tls.key", "required when hep.tls.listen is set") }
        }
        if let e = c.storage.ducklake.s3.endpoint, ListenAddress(parsing: e) == nil {
            throw ConfigError(key: "storage.ducklake.s3.endpoint", "\"\(e)\" is not a valid host:port address")
        }
        try VolumeParser.validate(c.storage.ducklake)
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0.localizedDescription)" }) ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// A JSON value with integers kept apart from fractions and booleans (so `"batch_size": true` or `1.5` is an error).
enum JSONValue: Decodable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number with a fraction"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
