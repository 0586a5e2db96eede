import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Shared helpers of the reader tests: running the Python oracle and comparing our scan with its JSON dump.
enum ReaderOracle {
    /// Runs `scripts/oracle/<script>` with `arguments`, parsing its stdout as a JSON object.
    static func json(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let out = try Oracle.runPython(script, arguments)
        guard let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] else {
            throw ParquetError(.invalidArgument, "\(script) printed no JSON object: \(out.prefix(200))")
        }
        return obj
    }

    static func hex<S: Sequence<UInt8>>(_ bytes: S) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Row `i` of a column in the manifest's encoding (see parquet_read_fixtures.py): nil for NULL.
    static func encode(_ c: ColumnData, _ i: Int) -> Any? {
        guard c.isValid(i) else { return nil }
        switch c.values {
        case .boolean(let a): return a[i]
        case .int32(let a): return String(a[i])
        case .int64(let a): return String(a[i])
        case .double(let a): return hex(withUnsafeBytes(of: a[i].bitPattern.littleEndian) { Array($0) })
        case .bytes(let b): return hex(b[i])
        }
    }

    static func same(_ ours: Any?, _ theirs: Any) -> Bool {
        switch (ours, theirs) {
        case (nil, is NSNull): return true
        case (let b as Bool, let t as Bool): return b == t
        case (let s as String, let t as String): return s == t
        default: return false
        }
    }

    /// Compares every column of `expected` (manifest "columns") with `result`; returns mismatch descriptions.
    /// Timestamps are compared in the oracle's unit (`spec["unit"]`): ours are in the file's unit
    /// (`ParquetColumnInfo.timeUnit`) and DuckDB reads millisecond timestamps back as microseconds.
    static func compare(_ result: ParquetScanResult, expected: [String: Any], label: String, limit: Int = 5,
                        info: [ParquetColumnInfo] = []) -> [String] {
        var problems: [String] = []
        for (name, spec) in expected.sorted(by: { $0.key < $1.key }) {
            guard let spec = spec as? [String: Any], let values = spec["values"] as? [Any] else { continue }
            guard var ours = result.columns[name] else {
                problems.append("\(label): column \(name) missing from the scan")
                continue
            }
            guard ours.count == values.count else {
                problems.append("\(label).\(name): \(ours.count) rows, oracle \(values.count)")
                continue
            }
            if let unit = spec["unit"] as? String, let mine = info.first(where: { $0.name == name })?.timeUnit,
               case .int64(let raw) = ours.values {
                let perSecond: [String: Int64] = ["s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000]
                let mineRate: Int64 = switch mine { case .millis: 1000; case .micros: 1_000_000; case .nanos: 1_000_000_000 }
                if let theirs = perSecond[unit], theirs > mineRate {
                    ours.values = .int64(raw.map { $0 &* (theirs / mineRate) })
                }
            }
            var bad = 0
            for i in 0..<values.count where !same(encode(ours, i), values[i]) {
                bad += 1
                if bad <= limit {
                    problems.append("\(label).\(name)[\(i)]: ours \(String(describing: encode(ours, i)).prefix(80)) "
                                    + "oracle \(String(describing: values[i]).prefix(80))")
                }
            }
            if bad > limit { problems.append("\(label).\(name): \(bad) mismatching rows in all") }
        }
        return problems
    }
}
