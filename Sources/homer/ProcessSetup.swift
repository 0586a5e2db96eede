import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Process start-up shared by the long-running commands (`serve`, `hub`).
enum ProcessSetup {
    /// Unblocks SIGTERM/SIGINT — a parent may have blocked them (signal masks are inherited) and the graceful
    /// shutdown depends on them — and sends logs to stderr at `$LOG_LEVEL` (default info).
    static func prepareServer() {
        var shutdownSignals = sigset_t()
        sigemptyset(&shutdownSignals)
        sigaddset(&shutdownSignals, SIGTERM)
        sigaddset(&shutdownSignals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &shutdownSignals, nil)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
                ?? .info
            return handler
        }
    }
}
