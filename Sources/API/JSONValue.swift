import Foundation

/// A parsed JSON document, kept untyped so that request validation can name the field that has the wrong type
/// (a `Decodable` struct would only say "typeMismatch" somewhere).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document; a syntax error is a 400 with the parser's message.
    public static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard let value = parseDocument(bytes) else { throw APIError(.badRequest, "request body is not valid JSON") }
        return value
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
