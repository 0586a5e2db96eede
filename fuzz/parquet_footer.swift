// libFuzzer target for the Parquet footer / Thrift reader and the page-level decoders.
//
// Built together with the Parquet module's sources (so internal types are visible) by fuzz/run-parquet.sh:
//   swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name Parquet Sources/Parquet/**/*.swift \
//          fuzz/parquet_footer.swift -I Sources/CZlib -I Sources/CZstd -lz -lzstd
// Every input must either parse or throw ParquetError; a trap, an out-of-bounds access (ASan) or a leak is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func parquetFooterFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    switch selector % 4 {
    case 0:
        // The footer path of ParquetReader.open: FileMetaData, then schema and row-group validation against a
        // file of plausible size.
        _ = try? ParquetReader(source: MemoryRangeReader(body), footer: body, fileSize: Int64(body.count) * 4 + 64,
                               options: ParquetReaderOptions())
    case 1:
        // Page header, then the page through the column decoder as each physical type.
        if let page = try? ColumnChunkDecoder.page(in: body, at: 0, limit: body.count) {
            for (type, element) in fuzzLeaves {
                guard let leaf = try? LeafColumn(element: element, info: type, columnOrder: nil, hasOrders: false)
                else { continue }
                for codec in [CompressionCodec.uncompressed, .snappy, .lz4Raw] {
                    var decoder = ColumnChunkDecoder(leaf: leaf, codec: codec)
                    try? decoder.consume(page, in: body, firstRow: 0, selection: .all(Int64(max(page.rows, 1))))
                    _ = try? decoder.columnData()
                }
            }
        }
    case 2:
        // Page index and bloom filter header structures.
        var r1 = ThriftCompactReader(body)
        _ = try? ColumnIndex(from: &r1)
        var r2 = ThriftCompactReader(body)
        _ = try? OffsetIndex(from: &r2)
        _ = try? SplitBlockBloomFilter.parse(body)
    default:
        // Raw value decoders over the bytes.
        body.withUnsafeBytes { p in
            var c = DecoderCursor(p)
            _ = try? DeltaBinaryPackedDecoder.decode(&c, limit: 1 << 16)
            var sink = ValueSink(shape: .bytes)
            var c2 = DecoderCursor(p)
            try? DeltaByteArrayDecoder.decodeIncremental(&c2, count: 64, into: &sink)
            if var rle = try? RLEHybridDecoder(DecoderCursor(p, from: 1), bitWidth: Int(p.first ?? 0) % 33) {
                _ = try? rle.decode(count: 512)
            }
            _ = try? LZ4RawDecompressor.decompress(p, uncompressedSize: 4096)
        }
    }
    return 0
}

/// One leaf per physical type, for decoding fuzzed pages.
private let fuzzLeaves: [(ParquetColumnInfo, SchemaElement)] = {
    let types: [(PhysicalType, Int32?)] = [(.boolean, nil), (.int32, nil), (.int64, nil), (.float, nil), (.double, nil),
                                           (.byteArray, nil), (.fixedLenByteArray, 5)]
    var out: [(ParquetColumnInfo, SchemaElement)] = []
    for (i, (t, length)) in types.enumerated() {
        var e = SchemaElement(name: "c\(i)")
        e.type = t
        e.typeLength = length
        e.repetitionType = .optional
        if let info = try? ParquetColumnInfo(element: e, index: i) { out.append((info, e)) }
    }
    return out
}()
