import Testing
@testable import API

@Test func APIModuleLinks() {
    #expect(Bool(true))
}
