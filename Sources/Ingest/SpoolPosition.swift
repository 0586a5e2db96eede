/// A place in the spool: the byte offset just after a batch in segment `segment`. Positions only grow.
///
/// The DuckLake writer stores the position of the last batch it committed in the catalog, in the same transaction as
/// the snapshot; on start everything after that position is replayed, so each spooled packet reaches the lake once.
public struct SpoolPosition: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Segment number (the file `<segment, 20 digits>.hspl`).
    public var segment: UInt64
    /// Byte offset inside that segment file.
    public var offset: UInt64

    public init(segment: UInt64, offset: UInt64) {
        self.segment = segment
        self.offset = offset
    }

    /// Before every record of every segment.
    public static let start = SpoolPosition(segment: 0, offset: 0)

    public static func < (a: SpoolPosition, b: SpoolPosition) -> Bool {
        (a.segment, a.offset) < (b.segment, b.offset)
    }

    public var description: String { "\(segment):\(offset)" }
}
