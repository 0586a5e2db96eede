import Testing
@testable import Storage

@Test func StorageModuleLinks() {
    #expect(Bool(true))
}
