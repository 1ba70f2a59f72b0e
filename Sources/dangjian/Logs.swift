import Foundation
import Logging
import DangjianDomain

/// Log output: human-readable text by default, one JSON object per line with `DANGJIAN_LOG_FORMAT=json`.
/// Every line passes through `Masking.scrubFreeText` so an ID number or phone never reaches a log file, and stays
/// one line (newlines escaped: no log injection).
enum Logs {
    static func bootstrap(format: String) {
        LoggingSystem.bootstrap { label in ScrubbingLogHandler(label: label, json: format == "json") }
    }
}

struct ScrubbingLogHandler: LogHandler {
    let label: String
    let json: Bool
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Date().utcTimestamp
        var line: String
        if json {
            var object: [String: String] = ["time": time, "level": event.level.rawValue, "logger": label, "message": event.message.description]
            for (key, value) in merged { object[key] = value.description }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            let meta = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level) \(label): \(meta.isEmpty ? "" : meta + " ")\(event.message)"
        }
        line = Masking.scrubFreeText(line)
        if line.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            line = line.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
