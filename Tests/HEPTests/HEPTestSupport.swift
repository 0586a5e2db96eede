import Foundation
import Testing
import TestSupport
@testable import HEP

/// Fixture access and a seeded PRNG shared by the HEP tests.
enum Fixtures {
    static func url(_ name: String, _ ext: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
                     "fixture \(name).\(ext) missing")
    }

    static func bytes(_ name: String, _ ext: String = "bin") throws -> [UInt8] {
        Array(try Data(contentsOf: url(name, ext)))
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(name, "json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Deterministic random values for property tests (seeded, so failures reproduce).
typealias TestRandom = SplitMix64

extension SplitMix64 {
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &self) } }
    mutating func text(_ n: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_.@é€")
        return String((0..<n).map { _ in alphabet.randomElement(using: &self)! })
    }
}
