/// DuckDB's text formats for `min_value`/`max_value` in the stats tables (research §2.4) and their parsing.
///
/// Timestamps: `YYYY-MM-DD HH:MM:SS[.ffffff]` with trailing fractional zeros dropped (DuckDB prints `…00.1` for
/// 100 ms and no fraction for whole seconds); dates `YYYY-MM-DD`; integers decimal; blobs upper-case hex.
public enum StatsText {
    /// Formats µs since the epoch as DuckDB prints a TIMESTAMP.
    public static func timestamp(micros: Int64) -> String {
        let (days, rem) = floorDivMod(micros, 86_400_000_000)
        let secondsOfDay = rem / 1_000_000
        let fraction = rem % 1_000_000
        var text = date(days: days) + " " + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":"
            + pad(secondsOfDay % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// Formats days since the epoch as `YYYY-MM-DD` (proleptic Gregorian, the civil-from-days algorithm).
    public static func date(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)
        return year + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// Upper-case hex of a blob (how DuckDB writes BLOB file stats).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a DuckDB TIMESTAMP text (also accepting a `T` separator, a trailing `+00`/`Z`) into µs; nil if invalid.
    public static func parseTimestamp(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let days = parseDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        var micros = days * 86_400_000_000
        guard bytes.count > 10 else { return micros }
        guard bytes.count >= 19, bytes[10] == 0x20 || bytes[10] == 0x54,
              let h = number(bytes[11..<13]), let m = number(bytes[14..<16]), let s = number(bytes[17..<19])
        else { return nil }
        micros += (h * 3600 + m * 60 + s) * 1_000_000
        var i = 19
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            var fraction: Int64 = 0, scale: Int64 = 100_000, digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if digits < 6 { fraction += Int64(bytes[i] - 0x30) * scale; scale /= 10 }
                digits += 1
                i += 1
            }
            micros += fraction
        }
        // A UTC offset of zero ("+00", "Z") is accepted; snapshot times are always written in UTC.
        if i < bytes.count {
            let rest = String(decoding: bytes[i...], as: UTF8.self)
            guard ["+00", "Z", "+00:00"].contains(rest) else { return nil }
        }
        return micros
    }

    /// Parses `YYYY-MM-DD` into days since the epoch.
    public static func parseDate(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
              let y = number(b[0..<4]), let m = number(b[5..<7]), let d = number(b[8..<10]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(y, m, d)
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var v: Int64 = 0
        for c in digits {
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int64(c - 0x30)
        }
        return digits.isEmpty ? nil : v
    }
}
