import Testing
@testable import Hub

@Test func HubModuleLinks() {
    #expect(Bool(true))
}
