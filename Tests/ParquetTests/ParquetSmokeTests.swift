import Testing
@testable import Parquet

@Test func ParquetModuleLinks() {
    #expect(Bool(true))
}
