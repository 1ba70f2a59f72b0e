import Foundation
import ZIPFoundation

/// Zips Office Open XML parts (.xlsx, .docx) in memory, deflated.
enum OOXMLPackage {
    /// The XML declaration every part starts with (written once; the parts interpolate it).
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"

    /// A part of a package: small parts as text; a large part (a 100,000-row worksheet) streamed in pieces so its
    /// XML is never held whole (decision 0019).
    enum Part {
        case text(path: String, xml: String)
        case streamed(path: String, stream: PartStream)
    }

    static func zip(_ parts: [(path: String, xml: String)]) throws -> Data {
        try zip(parts.map { Part.text(path: $0.path, xml: $0.xml) })
    }

    static func zip(_ parts: [Part]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            switch part {
            case .text(let path, let xml):
                let bytes = Data(xml.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                    let start = min(Int(position), bytes.count)
                    return bytes.subdata(in: start..<min(bytes.count, start + max(0, size)))
                }
            case .streamed(let path, let stream):
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(stream.size), compressionMethod: .deflate,
                    bufferSize: 64 * 1024
                ) { position, size in
                    try stream.read(at: Int(position), count: size)
                }
                try stream.finish()
            }
        }
        guard let data = archive.data else { throw SpreadsheetError.malformed("无法生成文件") }
        return data
    }

    /// The package relationship pointing at the main part.
    static func rootRelationships(target: String) -> String {
        """
        \(OOXMLPackage.declaration)
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="\(target)"/></Relationships>
        """
    }
}

/// The bytes of a part produced piece by piece, in order, as the zip writer reads them. The total `size` must be
/// known before writing starts (the zip entry's header carries it); producing more or fewer bytes is an error, not a
/// silently damaged file.
final class PartStream {
    let size: Int
    private let next: () -> [UInt8]?
    private var buffer: [UInt8] = []
    private var offset = 0
    private var delivered = 0

    /// `next` returns the following piece, or nil at the end.
    init(size: Int, next: @escaping () -> [UInt8]?) {
        self.size = size
        self.next = next
    }

    func read(at position: Int, count: Int) throws -> Data {
        guard position == delivered else { throw SpreadsheetError.malformed("文件生成顺序错误") }
        while buffer.count - offset < count {
            guard let piece = next() else { throw SpreadsheetError.malformed("文件内容比预计的短") }
            if offset > 0 {
                buffer.removeFirst(offset)
                offset = 0
            }
            buffer.append(contentsOf: piece)
        }
        let data = Data(buffer[offset..<(offset + count)])
        offset += count
        delivered += count
        return data
    }

    /// Checks that everything produced was written.
    func finish() throws {
        guard delivered == size, offset == buffer.count, next() == nil else { throw SpreadsheetError.malformed("文件内容与预计的长度不一致") }
    }
}
