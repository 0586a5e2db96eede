import Hummingbird
import NIOCore

/// Runs before every route: bearer authentication (except `/health`, `/metrics`), 413 for a declared body over the
/// limit, and 405 instead of Hummingbird's 404 when the path exists under another method.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]?
    let maxBodyBytes: Int
    let routes: [APIServer.Route]

    init(options: APIOptions, routes: [APIServer.Route]) {
        token = options.authToken.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        maxBodyBytes = options.maxBodyBytes
        self.routes = routes
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        let path = request.uri.path
        let open = routes.contains { !$0.authenticated && $0.path == path }
        if let token, !open {
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                  Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), token) else {
                throw APIError(.unauthorized, "missing or wrong bearer token (Authorization: Bearer <http.auth_token>)")
            }
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw APIError(.bodyTooLarge, "request body of \(length) bytes exceeds \(maxBodyBytes) (http.max_body_bytes)")
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.filter { Self.pathMatches(path, $0.path) }.map(\.method.rawValue)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw MethodNotAllowed(allowed: allowed, method: request.method.rawValue)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw APIError(.bodyTooLarge, "request body exceeds \(maxBodyBytes) bytes (http.max_body_bytes)")
        }
    }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed byte by byte.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }

    /// Matches a request path against a route path with `{name}` segments.
    static func pathMatches(_ path: String, _ pattern: String) -> Bool {
        let p = path.split(separator: "/", omittingEmptySubsequences: true)
        let q = pattern.split(separator: "/", omittingEmptySubsequences: true)
        guard p.count == q.count else { return false }
        return zip(p, q).allSatisfy { $1.hasPrefix("{") || $0 == $1 }
    }
}

/// 405 with the `Allow` header (RFC 9110 §15.5.6).
struct MethodNotAllowed: Error, HTTPResponseError {
    let allowed: [String]
    let method: String
    var status: HTTPResponse.Status { .methodNotAllowed }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("error", "method \(method) not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))")
        json.endObject()
        return Response(status: status,
                        headers: [.contentType: "application/json; charset=utf-8", .allow: allowed.joined(separator: ", ")],
                        body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}
