import Testing
@testable import Ingest

@Test func IngestModuleLinks() {
    #expect(Bool(true))
}
