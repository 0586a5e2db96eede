import Hummingbird

/// The API module's one error type. Each reason maps to an HTTP status; the response body is
/// `{"error": message, "field": field?}` so a client can tell which request field was wrong.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the request failed.
    public enum Reason: String, Sendable {
        /// Malformed JSON, wrong field type, out-of-range value: 400.
        case badRequest
        /// Missing or wrong bearer token: 401.
        case unauthorized
        /// Unknown route: 404.
        case notFound
        /// Known route, wrong HTTP method: 405.
        case methodNotAllowed
        /// Request body over `APIOptions.maxBodyBytes`: 413.
        case bodyTooLarge
        /// The storage backend failed: 500.
        case backendFailure
        /// The storage backend cannot answer this (e.g. unknown snapshot): 404 for snapshots, else 400.
        case unknownSnapshot
        /// The query ran past `APIOptions.queryTimeout` and was cancelled: 504.
        case timeout
        /// Talking to a remote node failed (the `homer query --url` client).
        case transport
    }

    public let reason: Reason
    public let message: String
    /// The request field at fault, e.g. `filters.src_port` or `limit`.
    public let field: String?

    public init(_ reason: Reason, _ message: String, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }

    /// A 400 naming the field.
    public static func bad(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(field): \(message)", field: field)
    }

    public var description: String { "\(reason.rawValue): \(message)" }

    /// The HTTP status of this error.
    public var status: HTTPResponse.Status {
        switch reason {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound, .unknownSnapshot: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .bodyTooLarge: .contentTooLarge
        case .backendFailure, .transport: .internalServerError
        case .timeout: .gatewayTimeout
        }
    }
}

extension APIError: HTTPResponseError {
    public var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if reason == .unauthorized { fields[.wwwAuthenticate] = "Bearer" }
        return fields
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("error", message)
        if let field { json.field("field", field) }
        json.endObject()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}
