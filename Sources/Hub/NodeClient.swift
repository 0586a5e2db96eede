import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// What one node answered to one HTTP request: the status and the body bytes, or why there is no answer.
struct NodeAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType: String?
    /// Wall time from sending the request to the last body byte.
    var latency: Duration
}

/// Talks HTTP to the nodes (AsyncHTTPClient). Every call is bounded by a deadline that covers connect, head and body,
/// because a slow node must never hold a Hub answer past `node_timeout_ms`.
///
/// The exchange runs on AsyncHTTPClient's event loop with a delegate that collects the answer there: the awaiting
/// task is resumed once, when the whole answer is in. (The streaming API resumed it for the head and for every body
/// part, and needed a second child task for a timeout covering the body: thread hand-offs that cost more than the
/// loopback hop itself on a busy 2-core box.)
struct NodeClient: Sendable {
    let http: HTTPClient
    let maxResponseBytes: Int

    /// Sends one request. Throws `HubError` with `.timeout` (cut at `timeoutMilliseconds`), `.unreachable` (no
    /// response head: refused, reset, DNS — the node is then probed with backoff) or `.badNodeResponse` (body larger
    /// than `max_response_bytes`, or cut). Any HTTP status is an answer; the caller decides what a 4xx/5xx means.
    func send(_ node: HubNode, method: HTTPMethod, path: String, body: [UInt8]? = nil,
              timeoutMilliseconds: Int) async throws(HubError) -> NodeAnswer {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        if let token = node.authToken { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: node.url + path, method: method, headers: headers,
                                             body: body.map { .bytes($0) })
        } catch {
            throw HubError(.unreachable, Self.describe(error))
        }
        let collector = NodeAnswerCollector(maxBytes: maxResponseBytes, started: ContinuousClock.now)
        let task = http.execute(request: request, delegate: collector, eventLoop: .indifferent,
                                deadline: .now() + .milliseconds(Int64(timeoutMilliseconds)), logger: nil)
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw HubError(.timeout, "no answer within \(timeoutMilliseconds) ms")
        } catch is NodeAnswerCollector.TooLarge {
            throw HubError(.badNodeResponse, "answer larger than max_response_bytes (\(maxResponseBytes))")
        } catch {
            if collector.sawHead { throw HubError(.badNodeResponse, "body cut: \(Self.describe(error))") }
            throw HubError(.unreachable, Self.describe(error))
        }
    }

    /// Sends a request whose answer must be a 2xx JSON object; anything else is `.badNodeResponse` naming the status
    /// or the parse error.
    func json(_ node: HubNode, method: HTTPMethod, path: String, body: [UInt8]? = nil,
              timeoutMilliseconds: Int) async throws(HubError) -> (JSONObject, Duration) {
        let answer = try await send(node, method: method, path: path, body: body, timeoutMilliseconds: timeoutMilliseconds)
        guard (200..<300).contains(answer.status) else { throw Self.statusError(answer) }
        let value = try JSONCodec.parse(answer.body)
        guard let object = value.objectValue else {
            throw HubError(.badNodeResponse, "expected a JSON object, got \(value.typeName)")
        }
        return (object, answer.latency)
    }

    /// The error for a non-2xx answer, carrying the node's own message when it sent `{"error": "..."}`.
    static func statusError(_ answer: NodeAnswer) -> HubError {
        var message = ""
        if let v = try? JSONCodec.parse(answer.body), let e = v["error"]?.stringValue ?? v["reason"]?.stringValue {
            message = ": " + e
        } else if !answer.body.isEmpty {
            message = ": " + String(decoding: answer.body.prefix(200), as: UTF8.self)
        }
        return HubError(.badNodeResponse, "HTTP \(answer.status)\(message)")
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError { return "\(e)" }
        return String(describing: error)
    }
}

/// Collects one node answer on the event loop: head, then body parts appended into one array (sized from
/// `Content-Length` when the node sends it), refused past `maxBytes`. The parts are copied once, straight into the
/// bytes the merge reads.
final class NodeAnswerCollector: HTTPClientResponseDelegate {
    typealias Response = NodeAnswer

    struct TooLarge: Error {}

    private struct State {
        var head: HTTPResponseHead?
        var body: [UInt8] = []
    }

    // The delegate callbacks run on the request's event loop one at a time; the lock makes `sawHead`, read by the
    // awaiting task after a failure, safe without relying on that.
    private let state = Mutex(State())
    private let maxBytes: Int
    private let started: ContinuousClock.Instant

    init(maxBytes: Int, started: ContinuousClock.Instant) {
        self.maxBytes = maxBytes
        self.started = started
    }

    /// Whether the response head arrived (a failure after it is a cut body, not an unreachable node).
    var sawHead: Bool { state.withLock { $0.head != nil } }

    func didReceiveHead(task: HTTPClient.Task<NodeAnswer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let announced = head.headers.first(name: "content-length").flatMap { Int($0) }
        if let announced, announced > maxBytes { return task.eventLoop.makeFailedFuture(TooLarge()) }
        state.withLock { s in
            s.head = head
            if let announced { s.body.reserveCapacity(announced) }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<NodeAnswer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = state.withLock { s in
            guard s.body.count + buffer.readableBytes <= maxBytes else { return false }
            buffer.withUnsafeReadableBytes { s.body.append(contentsOf: $0) }  // one memcpy
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(TooLarge())
    }

    func didFinishRequest(task: HTTPClient.Task<NodeAnswer>) throws -> NodeAnswer {
        let (head, body) = state.withLock { s in
            defer { s.body = [] }
            return (s.head, s.body)
        }
        return NodeAnswer(status: Int(head?.status.code ?? 0), body: body,
                          contentType: head?.headers.first(name: "content-type"),
                          latency: ContinuousClock.now - started)
    }
}
