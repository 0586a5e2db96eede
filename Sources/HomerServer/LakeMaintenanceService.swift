import DuckLake
import Logging
import ServiceLifecycle

/// Runs `LakeMaintenance` every `intervalSeconds` while `homer serve` runs (first pass after one interval). A failed
/// pass is logged and retried at the next interval: every step is an atomic catalog change, so a pass that stops
/// half-way leaves a consistent lake.
struct LakeMaintenanceService: Service {
    let maintenance: LakeMaintenance
    let intervalSeconds: Int
    let logger = Logger(label: "homer.lake.maintenance")

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(intervalSeconds))
                } catch {
                    return
                }
                do {
                    let report = try await maintenance.run()
                    logger.info("lake maintenance done", metadata: ["report": "\(report)"])
                } catch {
                    logger.error("lake maintenance failed: \(error)")
                }
            }
        }
    }
}
