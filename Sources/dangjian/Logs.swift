import Foundation
import Logging
import DangjianDomain

/// Log output: human-readable text by default, one JSON object per line with `DANGJIAN_LOG_FORMAT=json`.
/// Messages pass through `Masking.scrubFreeText` so an ID number or phone never reaches a log line.
enum Logs {
    static func bootstrap(format: String) {
        LoggingSystem.bootstrap { label in
            format == "json" ? JSONLogHandler(label: label) as any LogHandler : ScrubbingTextHandler(label: label)
        }
    }
}

struct ScrubbingTextHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level) \(label):\(meta) \(event.message)"
        FileHandle.standardError.write(Data((Masking.scrubFreeText(line).replacingOccurrences(of: "\n", with: "\\n") + "\n").utf8))
    }
}

struct JSONLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue, "logger": label,
            "message": Masking.scrubFreeText(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Masking.scrubFreeText(value.description)
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            FileHandle.standardError.write(data + Data("\n".utf8))
        }
    }
}
