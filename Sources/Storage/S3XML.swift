import Foundation

/// Just enough XML for S3 responses (ListObjectsV2, InitiateMultipartUpload, CompleteMultipartUpload, Error):
/// flat elements without attributes, text with the five predefined entities and numeric character references.
/// A general XML parser would pull libxml2 in through FoundationXML for a handful of fixed shapes.
enum S3XML {
    /// Inner text (raw, entities not decoded) of every `<name>…</name>` in `xml`, in order. Not for nested same-name
    /// elements, which S3 responses do not have.
    static func elements(_ name: String, in xml: Substring) -> [Substring] {
        let open = "<\(name)>", close = "</\(name)>"
        var result: [Substring] = []
        var cursor = xml.startIndex
        while let start = xml.range(of: open, range: cursor..<xml.endIndex),
              let end = xml.range(of: close, range: start.upperBound..<xml.endIndex) {
            result.append(xml[start.upperBound..<end.lowerBound])
            cursor = end.upperBound
        }
        return result
    }

    /// Decoded text of the first `<name>…</name>`, or nil.
    static func text(_ name: String, in xml: Substring) -> String? {
        let open = "<\(name)>", close = "</\(name)>"
        guard let start = xml.range(of: open),
              let end = xml.range(of: close, range: start.upperBound..<xml.endIndex) else { return nil }
        return decode(xml[start.upperBound..<end.lowerBound])
    }

    /// Replaces `&lt; &gt; &amp; &quot; &apos; &#NN; &#xHH;` (XML 1.0 §4.6 and §4.1).
    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if ch == "&", let semi = text[i...].firstIndex(of: ";") {
                let entity = text[text.index(after: i)..<semi]
                var replacement: String?
                switch entity {
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "amp": replacement = "&"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let v = UInt32(entity.dropFirst(2), radix: 16),
                       let scalar = Unicode.Scalar(v) {
                        replacement = String(Character(scalar))
                    } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst(), radix: 10),
                              let scalar = Unicode.Scalar(v) {
                        replacement = String(Character(scalar))
                    }
                }
                if let replacement {
                    out += replacement
                    i = text.index(after: semi)
                    continue
                }
            }
            out.append(ch)
            i = text.index(after: i)
        }
        return out
    }

    /// Escapes text for an element body (our CompleteMultipartUpload request carries ETags with quotes).
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Parses the `LastModified` timestamp, ISO 8601 with optional fractional seconds ("2026-11-25T09:01:17.000Z").
    static func date(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle()
        if let d = try? plain.parse(text) { return d }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }
}
