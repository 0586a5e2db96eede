import API
import Foundation
import Testing
import TestSupport

@Suite struct OpenAPITests {
    /// docs/openapi.yaml is a valid OpenAPI 3.1 document (openapi-spec-validator) and documents exactly the routes
    /// the router registers.
    @Test func documentMatchesRouter() throws {
        let doc = Oracle.repositoryRoot.appendingPathComponent("docs/openapi.yaml").path
        let out = try Oracle.runPython("api_openapi.py", [doc])
        let documented = Set((try JSONValue.parse(Array(out.utf8)).array ?? []).compactMap(\.string))
        let server = APIServer(options: APIOptions(), backend: MemoryBackend(), debugIngest: { Data("{}".utf8) })
        let registered = Set(server.makeRouter().routes.map { "\($0.method.rawValue) \($0.path.description)" })
        #expect(!registered.isEmpty)
        #expect(registered == documented, "router only: \(registered.subtracting(documented)); doc only: \(documented.subtracting(registered))")
        #expect(Set(APIServer.routes.map(\.description)) == registered)
    }
}
