import Testing
import Foundation
@testable import DangjianOffice

@Suite("QR encoder (ISO/IEC 18004, byte mode, level M)")
struct QRCodeTests {
    /// Texts of every length class: one per version 1–10, with Chinese (multi-byte UTF-8).
    static let samples: [String] = [
        "党建", "https://dj.example/c/ab", "https://dj.example.gov.cn/c/0123456789ab",
        "http://127.0.0.1:8080/checkin/9f86d081884c7d659a2feaa0c55ad015",
        String(repeating: "组织生活", count: 5) + "https://a.b/c", String(repeating: "x", count: 100), String(repeating: "y", count: 120),
        String(repeating: "z", count: 150), String(repeating: "支部", count: 30), String(repeating: "w", count: 213),
    ]

    @Test("the smallest version that holds the text; the function patterns are where the standard puts them")
    func structure() throws {
        let versions = try Self.samples.map { try QRCode(text: $0).version }
        #expect(versions == Array(1...10))
        #expect(QRCode.capacity(1) == 14 && QRCode.capacity(4) == 62 && QRCode.capacity(10) == 213)
        let qr = try QRCode(text: "党建工作")
        #expect(qr.size == 21)
        // Finder pattern corners, the timing row and the dark module.
        for (x, y) in [(0, 0), (6, 0), (0, 6), (14, 0), (20, 6), (0, 20), (6, 14)] { #expect(qr.isDark(x: x, y: y)) }
        for (x, y) in [(7, 0), (1, 1), (13, 0), (7, 20)] { #expect(!qr.isDark(x: x, y: y)) }
        #expect((8...12).map { qr.isDark(x: $0, y: 6) } == [true, false, true, false, true])
        #expect(qr.isDark(x: 8, y: qr.size - 8))
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 214, limit: 213)) { try QRCode(text: String(repeating: "a", count: 214)) }
        // Reed–Solomon: a codeword block followed by its EC bytes is divisible by the generator (remainder zero).
        let data: [UInt8] = [0x40, 0xD2, 0x75, 0x47, 0x76, 0x17, 0x32, 0x06, 0x27, 0x26, 0x96, 0xC6, 0xC6, 0x96, 0x70, 0xEC]
        let generator = ReedSolomon.generator(degree: 10)
        let ec = ReedSolomon.remainder(data, generator: generator)
        #expect(ReedSolomon.remainder(data + ec, generator: generator) == Array(repeating: 0, count: 10))
        // The PNG is a PNG: signature, IHDR size, and the CRC of IHDR.
        let png = [UInt8](qr.png(pixelsPerModule: 4))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && Array(png[16..<20]) == PNGBytes.bigEndian(UInt32((21 + 8) * 4)))
        #expect(Array(png[29..<33]) == PNGBytes.bigEndian(PNGBytes.crc32(Array(png[12..<29]))))
    }

    @Test("an independent decoder (zbarimg) reads back every sample exactly, Chinese included")
    func decodesWithZbar() throws {
        guard let zbar = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            // CI installs zbar-tools; without it the check cannot run, and in CI that is a failure.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "zbarimg missing in CI")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dj-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, text) in Self.samples.enumerated() {
            let file = dir.appendingPathComponent("qr\(i).png")
            try QRCode(text: text).png(pixelsPerModule: 4).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zbar)
            process.arguments = ["-q", "--raw", "-Sbinary", file.path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let decoded = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            var text8 = String(decoding: decoded, as: UTF8.self)
            if text8.hasSuffix("\n") { text8.removeLast() }
            let version = try QRCode(text: text).version
            #expect(process.terminationStatus == 0 && text8 == text, "sample \(i) (version \(version)) decoded as \(text8.debugDescription)")
        }
    }
}
