import Testing
@testable import HEP

@Test func HEPModuleLinks() {
    #expect(Bool(true))
}
