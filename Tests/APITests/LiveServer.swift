import API
import Foundation
import Logging
import ServiceLifecycle
import TestSupport

/// Runs an `APIServer` on a free loopback port for the duration of `body`, and hands it a client.
enum LiveServer {
    static func with<T: Sendable>(backend: any NodeBackend, options: APIOptions = APIOptions(),
                                  metrics: APIMetrics = APIMetrics(),
                                  _ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        var options = options
        options.host = "127.0.0.1"
        options.port = 0
        var logger = Logger(label: "api-test")
        logger.logLevel = .critical
        let server = APIServer(options: options, backend: backend, metrics: metrics, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = server.makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server never reported its port") }
        let client = APIClient(baseURL: "http://127.0.0.1:\(port)", token: options.authToken)
        do {
            let result = try await body(client)
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }
}

extension APIClient.Reply {
    /// The body as a JSON object (test helper; fails the test through a thrown error otherwise).
    func object() throws -> [String: JSONValue] {
        guard case .object(let o) = try JSONValue.parse(body) else {
            throw TestFailure("HTTP \(status): not a JSON object: \(text)")
        }
        return o
    }
}

extension JSONValue {
    var int: Int64? { if case .integer(let i) = self { i } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// A test precondition that failed.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
