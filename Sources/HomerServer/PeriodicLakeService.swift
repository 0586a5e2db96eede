import Logging
import ServiceLifecycle

/// Runs one lake upkeep pass every `intervalSeconds` while `homer serve` runs (first pass after one interval): the
/// maintenance pass (`LakeMaintenance`: compaction, retention, expiry, cleanup) and the storage-policy moves
/// (`LakeTiering`) each get one. A failed pass is logged and retried at the next interval: every step is an atomic
/// catalog change (moves commit whole snapshots; an uncommitted copy is only an orphan for the maintenance sweep), so
/// a pass that stops half-way leaves a consistent lake.
struct PeriodicLakeService: Service {
    /// What the logs call the pass ("lake maintenance", "lake tiering").
    let name: String
    let intervalSeconds: Int
    let logger: Logger
    /// One pass; returns its report for the log.
    let pass: @Sendable () async throws -> any CustomStringConvertible & Sendable

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(intervalSeconds))
                } catch {
                    return
                }
                do {
                    let report = try await pass()
                    logger.info("\(name) done", metadata: ["report": "\(report)"])
                } catch {
                    logger.error("\(name) failed: \(error)")
                }
            }
        }
    }
}
