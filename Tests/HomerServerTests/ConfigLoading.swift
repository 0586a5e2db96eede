import Foundation
@testable import HomerServer

/// Suites that load configurations from JSON text and environment variables, as `homer serve` does.
protocol ConfigLoading {}

extension ConfigLoading {
    func load(_ json: String, env: [String: String] = [:]) throws(ConfigError) -> HomerConfig {
        try ConfigLoader.load(json: Data(json.utf8), environment: env)
    }

    /// The error loading `json` raises, nil when it loads.
    func error(_ json: String, env: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(json, env: env)
            return nil
        } catch {
            return error
        }
    }
}
