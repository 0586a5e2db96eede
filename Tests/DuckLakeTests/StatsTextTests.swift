import Foundation
import Testing
import TestSupport
import DuckLake

/// Our stats texts against DuckDB's own `::VARCHAR` of the same values.
@Test func statsTextMatchesDuckDBCasts() throws {
    let micros: [Int64] = [0, 1_737_504_000_000_000, 1_737_504_000_100_000, 1_737_504_000_120_000, 1_737_590_399_999_999,
                           -1, 951_782_400_000_001, 4_102_444_800_000_000]
    let days: [Int64] = [0, 20_110, -1, 11_016, 47_482]
    let query = "SELECT " + (micros.map { "make_timestamp(\($0)::BIGINT)::VARCHAR" }
        + days.map { "(DATE '1970-01-01' + \($0)::INTEGER)::VARCHAR" }).joined(separator: ", ")
    let rows = try Oracle.runPython("ducklake_oracle.py", ["sql", "--catalog", "-", query])
    let values = try #require(try JSONSerialization.jsonObject(with: Data(rows.utf8)) as? [[String]]).first ?? []
    let ours = micros.map { StatsText.timestamp(micros: $0) } + days.map { StatsText.date(days: $0) }
    #expect(ours == values)
    for (m, text) in zip(micros, values) { #expect(StatsText.parseTimestamp(text) == m) }
    #expect(StatsText.hex([0xAB, 0x01, 0x7A]) == "AB017A")
}
