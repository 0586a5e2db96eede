import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What one node answered to one HTTP request: the status and the body bytes, or why there is no answer.
struct NodeAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType: String?
    /// Wall time from sending the request to the last body byte.
    var latency: Duration
}

/// Talks HTTP to the nodes (AsyncHTTPClient). Every call is bounded by a timeout that covers connect, head and body,
/// because a slow node must never hold a Hub answer past `node_timeout_ms`.
struct NodeClient: Sendable {
    let http: HTTPClient
    let maxResponseBytes: Int

    /// Sends one request. Throws `HubError` with `.timeout` (cut at `timeoutMilliseconds`), `.unreachable` (no
    /// response head: refused, reset, DNS — the node is then probed with backoff) or `.badNodeResponse` (body larger
    /// than `max_response_bytes`). Any HTTP status is an answer; the caller decides what a 4xx/5xx means.
    func send(_ node: HubNode, method: HTTPMethod, path: String, body: [UInt8]? = nil,
              timeoutMilliseconds: Int) async throws(HubError) -> NodeAnswer {
        var request = HTTPClientRequest(url: node.url + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token = node.authToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let http = self.http, maxBytes = maxResponseBytes, built = request
        let started = ContinuousClock.now
        let outcome: Result<NodeAnswer, HubError>? = await withTaskGroup(of: Result<NodeAnswer, HubError>?.self) { group in
            group.addTask {
                let response: HTTPClientResponse
                do {
                    // The AHC deadline is a second guard; the sleeping child below is the one that cuts the body too.
                    response = try await http.execute(built, timeout: .milliseconds(Int64(timeoutMilliseconds) + 50))
                } catch {
                    if Task.isCancelled { return nil }
                    return .failure(HubError(.unreachable, Self.describe(error)))
                }
                do {
                    let buffer = try await response.body.collect(upTo: maxBytes)
                    return .success(NodeAnswer(status: Int(response.status.code), body: Array(buffer.readableBytesView),
                                               contentType: response.headers.first(name: "content-type"),
                                               latency: ContinuousClock.now - started))
                } catch is NIOTooManyBytesError {
                    return .failure(HubError(.badNodeResponse, "answer larger than max_response_bytes (\(maxBytes))"))
                } catch {
                    if Task.isCancelled { return nil }
                    return .failure(HubError(.badNodeResponse, "body cut: \(Self.describe(error))"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(timeoutMilliseconds))
                return Task.isCancelled ? nil : .failure(HubError(.timeout, "no answer within \(timeoutMilliseconds) ms"))
            }
            var first: Result<NodeAnswer, HubError>?
            while let next = await group.next() {
                if let next { first = next; break }
            }
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let answer)?: return answer
        case .failure(let error)?: throw error
        case nil: throw HubError(.timeout, "cancelled")
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
