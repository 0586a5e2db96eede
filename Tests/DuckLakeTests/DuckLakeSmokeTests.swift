import Testing
@testable import DuckLake

@Test func DuckLakeModuleLinks() {
    #expect(Bool(true))
}
