public import Foundation

/// A QR code (ISO/IEC 18004) encoder written for the project: byte mode, error-correction level M, versions 1–10
/// (up to 213 bytes — a sign-in or verification URL). `swift build` needs no system library (ecosystem.md §3); CI
/// decodes the output with independent decoders (zbarimg, zxing-cpp).
public struct QRCode: Sendable {
    /// Modules per side (21 for version 1, +4 per version).
    public let size: Int
    public let version: Int
    /// The mask pattern chosen (0–7), the one with the lowest penalty.
    public let mask: Int
    /// Row-major, true = dark.
    let modules: [Bool]

    public enum EncodingError: Error, Equatable {
        case tooLong(bytes: Int, limit: Int)
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Level-M block structure per version: EC codewords per block and the data codewords of each block.
    static let blocks: [(ec: Int, data: [Int])] = [
        (10, [16]), (16, [28]), (26, [44]), (18, [32, 32]), (24, [43, 43]),
        (16, [27, 27, 27, 27]), (18, [31, 31, 31, 31]), (22, [38, 38, 39, 39]), (22, [36, 36, 36, 37, 37]), (26, [43, 43, 43, 43, 44]),
    ]

    /// Alignment pattern centres per version (version 1 has none).
    static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    /// The most bytes each version holds in byte mode at level M.
    static func capacity(_ version: Int) -> Int {
        let dataBits = blocks[version - 1].data.reduce(0, +) * 8
        return (dataBits - 4 - (version < 10 ? 8 : 16)) / 8
    }

    /// Encodes text as UTF-8 in the smallest version that holds it.
    public init(text: String) throws { try self.init(bytes: Array(text.utf8)) }

    public init(bytes: [UInt8]) throws {
        guard let version = (1...10).first(where: { Self.capacity($0) >= bytes.count }) else {
            throw EncodingError.tooLong(bytes: bytes.count, limit: Self.capacity(10))
        }
        self.version = version
        size = 17 + 4 * version
        let codewords = Self.interleave(Self.dataCodewords(bytes, version: version), version: version)
        var grid = Grid(size: size)
        grid.drawFunctionPatterns(version: version)
        grid.placeData(codewords)
        // Try every mask; keep the one with the lowest penalty (ISO/IEC 18004 §8.8.2).
        var best: (penalty: Int, mask: Int, modules: [Bool]) = (Int.max, 0, grid.dark)
        for mask in 0..<8 {
            var candidate = grid
            candidate.applyMask(mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if penalty < best.penalty { best = (penalty, mask, candidate.dark) }
        }
        mask = best.mask
        modules = best.modules
    }

    // MARK: data

    /// Mode indicator, count, bytes, terminator, padding: the data codewords of a version.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let capacityBits = blocks[version - 1].data.reduce(0, +) * 8
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)  // byte mode
        append(bytes.count, version < 10 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        append(0, min(4, capacityBits - bits.count))  // terminator
        while bits.count % 8 != 0 { bits.append(false) }
        var out: [UInt8] = []
        for i in stride(from: 0, to: bits.count, by: 8) {
            var byte: UInt8 = 0
            for j in 0..<8 where bits[i + j] { byte |= 0x80 >> UInt8(j) }
            out.append(byte)
        }
        var pad: UInt8 = 0xEC
        while out.count < capacityBits / 8 { out.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        return out
    }

    /// Splits the data into blocks, adds Reed–Solomon EC codewords, and interleaves them.
    static func interleave(_ data: [UInt8], version: Int) -> [UInt8] {
        let layout = blocks[version - 1]
        var dataBlocks: [[UInt8]] = []
        var offset = 0
        for n in layout.data { dataBlocks.append(Array(data[offset..<offset + n])); offset += n }
        let generator = ReedSolomon.generator(degree: layout.ec)
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder($0, generator: generator) }
        var out: [UInt8] = []
        for i in 0..<(layout.data.max() ?? 0) { for block in dataBlocks where i < block.count { out.append(block[i]) } }
        for i in 0..<layout.ec { for block in ecBlocks { out.append(block[i]) } }
        return out
    }

    // MARK: output

    /// An SVG drawing with a 4-module quiet zone, one path of unit squares, scaled by the viewer.
    public func svg(pixelsPerModule: Int = 6, label: String = "二维码") -> String {
        let full = size + 8
        var path = ""
        for y in 0..<size { for x in 0..<size where isDark(x: x, y: y) { path += "M\(x + 4) \(y + 4)h1v1h-1z" } }
        let px = full * pixelsPerModule
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"\(px)\" height=\"\(px)\" viewBox=\"0 0 \(full) \(full)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(SVGBarChart.escape(label))\">"
            + "<rect width=\"\(full)\" height=\"\(full)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    /// A 1-bit greyscale PNG with a 4-module quiet zone (deflate "stored" blocks: no compression library needed).
    public func png(pixelsPerModule: Int = 8) -> Data {
        let side = (size + 8) * pixelsPerModule
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for py in 0..<side {
            raw.append(0)  // filter: none
            let y = py / pixelsPerModule - 4
            var byte: UInt8 = 0
            for px in 0..<side {
                let x = px / pixelsPerModule - 4
                let dark = x >= 0 && y >= 0 && x < size && y < size && isDark(x: x, y: y)
                if !dark { byte |= 0x80 >> UInt8(px % 8) }  // 1 = white in greyscale
                if px % 8 == 7 || px == side - 1 { raw.append(byte); byte = 0 }
            }
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            let typed = Array(type.utf8) + body
            png.append(contentsOf: PNGBytes.bigEndian(UInt32(body.count)))
            png.append(contentsOf: typed)
            png.append(contentsOf: PNGBytes.bigEndian(PNGBytes.crc32(typed)))
        }
        chunk("IHDR", PNGBytes.bigEndian(UInt32(side)) + PNGBytes.bigEndian(UInt32(side)) + [1, 0, 0, 0, 0])
        chunk("IDAT", PNGBytes.zlibStored(raw))
        chunk("IEND", [])
        return png
    }
}

/// The module grid while it is being built: which modules are dark and which belong to function patterns.
struct Grid {
    let size: Int
    var dark: [Bool]
    var function: [Bool]

    init(size: Int) {
        self.size = size
        dark = Array(repeating: false, count: size * size)
        function = Array(repeating: false, count: size * size)
    }

    mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        function[y * size + x] = true
    }

    mutating func drawFunctionPatterns(version: Int) {
        // Timing patterns.
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        // Finder patterns with their separators.
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let d = max(abs(dx), abs(dy))
                    set(x, y, d != 2 && d != 4)
                }
            }
        }
        // Alignment patterns, except where they would overlap a finder.
        let centres = QRCode.alignment[version - 1]
        for (i, cy) in centres.enumerated() {
            for (j, cx) in centres.enumerated() {
                let last = centres.count - 1
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 { for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) } }
            }
        }
        // Reserve the format areas (drawn per mask) and the dark module.
        drawFormat(mask: 0)
        // Version information (versions 7 and up): 6 data bits and a 12-bit BCH remainder, generator 0x1F25.
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let bit = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                set(a, b, bit)
                set(b, a, bit)
            }
        }
    }

    /// Format information: level M (00) and the mask, a 10-bit BCH remainder (generator 0x537), XOR 0x5412, in two
    /// copies; plus the dark module.
    mutating func drawFormat(mask: Int) {
        let data = 0b00 << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// Places the codewords in the two-column zigzag from the bottom right, skipping function modules and the
    /// vertical timing column.
    mutating func placeData(_ codewords: [UInt8]) {
        var i = 0
        let total = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !function[y * size + x] else { continue }
                    if i < total { dark[y * size + x] = (codewords[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1 }
                    i += 1
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !function[y * size + x] {
                let flip: Bool
                switch mask {
                case 0: flip = (x + y) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (x + y) % 3 == 0
                case 4: flip = (x / 3 + y / 2) % 2 == 0
                case 5: flip = x * y % 2 + x * y % 3 == 0
                case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { dark[y * size + x].toggle() }
            }
        }
    }

    /// The penalty of ISO/IEC 18004 §8.8.2: runs, 2×2 blocks, finder-like patterns, dark/light balance.
    func penalty() -> Int {
        var score = 0
        func at(_ x: Int, _ y: Int, _ rows: Bool) -> Bool { rows ? dark[y * size + x] : dark[x * size + y] }
        for rows in [true, false] {
            for line in 0..<size {
                var run = 1
                for k in 1..<size {
                    if at(k, line, rows) == at(k - 1, line, rows) {
                        run += 1
                    } else {
                        if run >= 5 { score += run - 2 }
                        run = 1
                    }
                }
                if run >= 5 { score += run - 2 }
                // 1:1:3:1:1 with four light modules on one side.
                if size >= 11 {
                    for k in 0...(size - 11) {
                        let pattern = (0..<11).map { at(k + $0, line, rows) }
                        if pattern == [true, false, true, true, true, false, true, false, false, false, false]
                            || pattern == [false, false, false, false, true, false, true, true, true, false, true]
                        {
                            score += 40
                        }
                    }
                }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = dark[y * size + x]
                if c == dark[y * size + x + 1] && c == dark[(y + 1) * size + x] && c == dark[(y + 1) * size + x + 1] { score += 3 }
            }
        }
        let darkCount = dark.filter { $0 }.count
        score += abs(darkCount * 20 - size * size * 10) / (size * size) * 10
        return score
    }
}

/// Reed–Solomon over GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1.
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var result: UInt16 = 0
        var x = UInt16(a)
        var y = b
        while y != 0 {
            if y & 1 != 0 { result ^= x }
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
            y >>= 1
        }
        return UInt8(result)
    }

    /// The generator polynomial ∏(x − αⁱ), i < degree, highest coefficient (1) dropped.
    static func generator(degree: Int) -> [UInt8] {
        var poly = [UInt8](repeating: 0, count: degree)
        poly[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                poly[j] = multiply(poly[j], root)
                if j + 1 < degree { poly[j] ^= poly[j + 1] }
            }
            root = multiply(root, 2)
        }
        return poly
    }

    /// The EC codewords: the data polynomial times x^degree modulo the generator.
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(generator[i], factor) }
        }
        return result
    }
}

/// The few byte-level pieces of a PNG file.
enum PNGBytes {
    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFFFFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFFFFFF
    }

    /// A zlib stream of "stored" (uncompressed) deflate blocks with its Adler-32.
    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            let final: UInt8 = offset + n >= raw.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return out + bigEndian(b << 16 | a)
    }
}
