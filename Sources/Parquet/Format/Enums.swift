// parquet.thrift enums. They are modelled as open structs over the raw i32 so that a value added by a newer writer
// decodes instead of failing; code that cannot handle an unknown value says so with `.unsupported`.

/// parquet.thrift `Type`: the physical type of a column.
struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let boolean = PhysicalType(rawValue: 0)
    static let int32 = PhysicalType(rawValue: 1)
    static let int64 = PhysicalType(rawValue: 2)
    static let int96 = PhysicalType(rawValue: 3)
    static let float = PhysicalType(rawValue: 4)
    static let double = PhysicalType(rawValue: 5)
    static let byteArray = PhysicalType(rawValue: 6)
    static let fixedLenByteArray = PhysicalType(rawValue: 7)
    var description: String {
        let names = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "Type(\(rawValue))"
    }
}

/// parquet.thrift `ConvertedType` (legacy annotation; written beside LogicalType for old readers).
struct ConvertedType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let utf8 = ConvertedType(rawValue: 0)
    static let map = ConvertedType(rawValue: 1)
    static let mapKeyValue = ConvertedType(rawValue: 2)
    static let list = ConvertedType(rawValue: 3)
    static let `enum` = ConvertedType(rawValue: 4)
    static let decimal = ConvertedType(rawValue: 5)
    static let date = ConvertedType(rawValue: 6)
    static let timeMillis = ConvertedType(rawValue: 7)
    static let timeMicros = ConvertedType(rawValue: 8)
    static let timestampMillis = ConvertedType(rawValue: 9)
    static let timestampMicros = ConvertedType(rawValue: 10)
    static let uint8 = ConvertedType(rawValue: 11)
    static let uint16 = ConvertedType(rawValue: 12)
    static let uint32 = ConvertedType(rawValue: 13)
    static let uint64 = ConvertedType(rawValue: 14)
    static let int8 = ConvertedType(rawValue: 15)
    static let int16 = ConvertedType(rawValue: 16)
    static let int32 = ConvertedType(rawValue: 17)
    static let int64 = ConvertedType(rawValue: 18)
    static let json = ConvertedType(rawValue: 19)
    static let bson = ConvertedType(rawValue: 20)
    static let interval = ConvertedType(rawValue: 21)
}

/// parquet.thrift `FieldRepetitionType`.
struct FieldRepetitionType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let required = FieldRepetitionType(rawValue: 0)
    static let optional = FieldRepetitionType(rawValue: 1)
    static let repeated = FieldRepetitionType(rawValue: 2)
}

/// parquet.thrift `Encoding` (Encodings.md).
struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let plain = Encoding(rawValue: 0)
    /// Deprecated name of a dictionary encoding in data pages v1 files (and the dictionary page itself, in old files).
    static let plainDictionary = Encoding(rawValue: 2)
    static let rle = Encoding(rawValue: 3)
    static let bitPacked = Encoding(rawValue: 4)
    static let deltaBinaryPacked = Encoding(rawValue: 5)
    static let deltaLengthByteArray = Encoding(rawValue: 6)
    static let deltaByteArray = Encoding(rawValue: 7)
    static let rleDictionary = Encoding(rawValue: 8)
    static let byteStreamSplit = Encoding(rawValue: 9)
    var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "Encoding(\(rawValue))"
        }
    }
}

/// parquet.thrift `CompressionCodec` (Compression.md).
struct CompressionCodec: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let uncompressed = CompressionCodec(rawValue: 0)
    static let snappy = CompressionCodec(rawValue: 1)
    static let gzip = CompressionCodec(rawValue: 2)
    static let lzo = CompressionCodec(rawValue: 3)
    static let brotli = CompressionCodec(rawValue: 4)
    static let lz4 = CompressionCodec(rawValue: 5)
    static let zstd = CompressionCodec(rawValue: 6)
    static let lz4Raw = CompressionCodec(rawValue: 7)
}

/// parquet.thrift `PageType`.
struct PageType: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let dataPage = PageType(rawValue: 0)
    static let indexPage = PageType(rawValue: 1)
    static let dictionaryPage = PageType(rawValue: 2)
    static let dataPageV2 = PageType(rawValue: 3)
}

/// parquet.thrift `BoundaryOrder` (ColumnIndex): whether page min/max values are sorted.
struct BoundaryOrder: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let unordered = BoundaryOrder(rawValue: 0)
    static let ascending = BoundaryOrder(rawValue: 1)
    static let descending = BoundaryOrder(rawValue: 2)
}
