/// The one error type of the HEP module: every corrupt or unsupported input (HEP packets, TCP framing, pcap files)
/// surfaces as a `HEPError`, never as a trap.
public struct HEPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the input was rejected. The raw value is stable and short so it can be used as a metric label
    /// (e.g. `homer_hep_errors_total{reason="bad_chunk_length"}`).
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The packet starts neither with "HEP3"/"EEP3" nor with a HEPv1/v2 version byte.
        case badMagic = "bad_magic"
        /// Fewer bytes than a header (or a declared field) needs.
        case truncated
        /// The HEP3 total length is below 6, above the bytes received, or zero.
        case badLength = "bad_length"
        /// A chunk length is below 6 or runs past the end of the packet.
        case badChunkLength = "bad_chunk_length"
        /// A fixed-size chunk (uint8/16/32/64, inet4/inet6 address) has a payload of the wrong size.
        case badChunkSize = "bad_chunk_size"
        /// The packet carries neither a payload chunk (0x000f) nor a compressed payload chunk (0x0010).
        case missingPayload = "missing_payload"
        /// The compressed payload (0x0010) is not valid gzip/zlib/deflate data.
        case decompressionFailed = "decompression_failed"
        /// The decompressed payload would exceed `HEPOptions.maxDecompressedSize`.
        case payloadTooLarge = "payload_too_large"
        /// A HEPv1/v2 packet arrived while `HEPOptions.hepv2Enabled` is false, or a v1/v2 header is inconsistent.
        case unsupportedVersion = "unsupported_version"
        /// A pcap file is malformed (bad magic, truncated record, unsupported link type).
        case badPcap = "bad_pcap"
    }

    /// Why the input was rejected.
    public let reason: Reason
    /// Human-readable detail (offsets, sizes) for logs.
    public let detail: String

    public init(_ reason: Reason, _ detail: String = "") {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? "HEP error: \(reason.rawValue)" : "HEP error: \(reason.rawValue): \(detail)" }
}
