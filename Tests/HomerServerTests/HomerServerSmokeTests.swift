import Testing
@testable import HomerServer

@Test func HomerServerModuleLinks() {
    #expect(Bool(true))
}
