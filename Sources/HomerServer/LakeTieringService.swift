import DuckLake
import Logging
import ServiceLifecycle

/// Runs `LakeTiering` every `storage_policy.ttl_move_interval_sec` while `homer serve` runs (first pass after one
/// interval). A failed pass is logged and retried next time: copies are committed in whole snapshots, and an
/// uncommitted copy is only an orphan for the maintenance sweep. Old objects are deleted by the maintenance pass
/// (snapshot expiry, then cleanup), never here.
struct LakeTieringService: Service {
    let tiering: LakeTiering
    let intervalSeconds: Int
    let logger = Logger(label: "homer.lake.tiering")

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(intervalSeconds))
                } catch {
                    return
                }
                do {
                    let report = try await tiering.run()
                    logger.info("lake tiering done", metadata: ["report": "\(report)"])
                } catch {
                    logger.error("lake tiering failed: \(error)")
                }
            }
        }
    }
}
