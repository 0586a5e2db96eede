// swift-tools-version:6.1
// homer — HEP capture server storing VoIP signalling in a DuckLake lakehouse.
//
// Layering (lower never imports higher):
//   HEP, Parquet, Storage  →  DuckLake  →  Ingest, API  →  Hub  →  HomerServer  →  homer (CLI)
//
// `HOMER_TARGETS=HEP,Parquet swift test` restricts the package to those modules, their dependencies and their test
// targets. It exists so a module can be built and tested without compiling the whole server (Hummingbird, NIOSSL,
// BoringSSL take minutes on 2 cores). Pass `--manifest-cache none` when switching it. CI never sets it.
import Foundation
import PackageDescription

/// Each module: its in-package dependencies, its external products, and whether it has a test target.
struct Module {
    let name: String
    let local: [String]
    let external: [Target.Dependency]
    let tests: Bool
    let testDeps: [String]
}

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]
let ops: [Target.Dependency] = [
    .product(name: "Logging", package: "swift-log"),
    .product(name: "Metrics", package: "swift-metrics"),
]

let modules: [Module] = [
    Module(name: "HEP", local: ["CZlib"], external: [], tests: true, testDeps: ["TestSupport"]),
    Module(name: "Parquet", local: ["CZlib", "CZstd"], external: [], tests: true, testDeps: ["TestSupport"]),
    Module(name: "Storage", local: [], external: nio + [
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "DuckLake", local: ["Parquet", "Storage", "HEP", "CSQLite"], external: [
        .product(name: "Logging", package: "swift-log"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "Ingest", local: ["HEP"], external: nio + ops + [
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "API", local: ["DuckLake", "HEP"], external: ops + [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "Hub", local: ["API"], external: ops + [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "HomerServer", local: ["HEP", "Parquet", "Storage", "DuckLake", "Ingest", "API", "Hub"], external: ops + [
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ], tests: true, testDeps: ["TestSupport"]),
    Module(name: "TestSupport", local: [], external: [], tests: false, testDeps: []),
]
let systemLibraries: [Target] = [
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
]

// Which modules to build: all, or the closure of HOMER_TARGETS.
let byName = Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0) })
let requested = ProcessInfo.processInfo.environment["HOMER_TARGETS"].map {
    $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
}
var selected = Set<String>()
var pending = requested ?? modules.map(\.name)
while let name = pending.popLast() {
    guard selected.insert(name).inserted, let m = byName[name] else { continue }
    pending += m.local
    if requested != nil { pending += m.testDeps }
}
let fullBuild = requested == nil

let settings: [SwiftSetting] = [.swiftLanguageMode(.v6)]
var targets: [Target] = systemLibraries.filter { selected.contains($0.name) }
for m in modules where selected.contains(m.name) {
    targets.append(.target(name: m.name, dependencies: m.local.map { .target(name: $0) } + m.external,
                           swiftSettings: settings))
    if m.tests && (fullBuild || requested!.contains(m.name)) {
        targets.append(.testTarget(name: "\(m.name)Tests",
                                   dependencies: [.target(name: m.name)] + m.testDeps.map { .target(name: $0) },
                                   resources: [.copy("Fixtures")],
                                   swiftSettings: settings))
    }
}
var products: [Product] = []
if fullBuild {
    targets.append(.executableTarget(name: "homer", dependencies: [
        "HomerServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], swiftSettings: settings))
    products.append(.executable(name: "homer", targets: ["homer"]))
}

let package = Package(
    name: "homer",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: targets
)
