import Foundation
import NIOCore

extension S3ObjectStore {
    /// S3 multipart upload: CreateMultipartUpload, UploadPart × n (`uploadConcurrency` at a time, each part read
    /// from the file with pread and retried on its own), CompleteMultipartUpload. Any failure aborts the upload so
    /// no invisible parts stay billed in the bucket.
    func multipartUpload(_ key: String, from path: String, size: Int64) async throws {
        // At most 10,000 parts per upload (S3 limits): grow the part size for very large files.
        var partSize = Int64(options.partSize)
        while (size + partSize - 1) / partSize > 10_000 { partSize *= 2 }
        let partCount = Int((size + partSize - 1) / partSize)

        let created = try await send(S3Request(method: .POST, key: key, query: [("uploads", "")]))
        guard let uploadID = S3XML.text("UploadId", in: Substring(String(decoding: created.body, as: UTF8.self))),
              !uploadID.isEmpty else {
            throw StorageError(.badResponse, message: "CreateMultipartUpload answer without UploadId", key: key)
        }
        do {
            let etags = try await uploadParts(key, from: path, size: size, partSize: partSize, partCount: partCount,
                                              uploadID: uploadID)
            var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            for (index, etag) in etags.enumerated() {
                xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
            }
            xml += "</CompleteMultipartUpload>"
            do {
                _ = try await send(S3Request(method: .POST, key: key, query: [("uploadId", uploadID)],
                                             body: ByteBuffer(string: xml)))
            } catch let error as StorageError where error.code == "NoSuchUpload" {
                // A retried Complete whose first attempt did succeed finds the upload gone: accept it when the
                // object is there with the right size (putFile checks that again).
                guard let info = try await head(key), info.size == size else { throw error }
            }
        } catch {
            // Abort in a task of its own so a cancelled upload still cleans up.
            let abort = S3Request(method: .DELETE, key: key, query: [("uploadId", uploadID)])
            await Task { _ = try? await self.send(abort) }.value
            throw error
        }
    }

    /// Uploads every part, at most `uploadConcurrency` at once; returns the ETags in part order.
    private func uploadParts(_ key: String, from path: String, size: Int64, partSize: Int64, partCount: Int,
                             uploadID: String) async throws -> [String] {
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var etags = [String](repeating: "", count: partCount)
            var next = 0
            func start(_ index: Int) {
                let offset = Int64(index) * partSize
                let count = Int(min(partSize, size - offset))
                group.addTask {
                    let bytes = try await Self.readLocal(path, offset: offset, count: count)
                    guard bytes.count == count else {
                        throw StorageError(.sizeMismatch, message: "\(path) shrank during the upload", key: key)
                    }
                    let response = try await self.send(S3Request(
                        method: .PUT, key: key, query: [("partNumber", String(index + 1)), ("uploadId", uploadID)],
                        body: ByteBuffer(bytes: bytes)))
                    guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
                        throw StorageError(.badResponse, message: "UploadPart \(index + 1) answer without ETag",
                                           key: key)
                    }
                    return (index, etag)
                }
            }
            while next < min(options.uploadConcurrency, partCount) {
                start(next)
                next += 1
            }
            while let (index, etag) = try await group.next() {
                etags[index] = etag
                if next < partCount {
                    start(next)
                    next += 1
                }
            }
            return etags
        }
    }
}
