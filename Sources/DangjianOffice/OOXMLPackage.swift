import Foundation
import ZIPFoundation

/// Zips Office Open XML parts (.xlsx, .docx) in memory, deflated.
enum OOXMLPackage {
    static func zip(_ parts: [(path: String, xml: String)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, xml) in parts {
            let bytes = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                let start = min(Int(position), bytes.count)
                return bytes.subdata(in: start..<min(bytes.count, start + max(0, size)))
            }
        }
        guard let data = archive.data else { throw SpreadsheetError.malformed("无法生成文件") }
        return data
    }

    /// The package relationship pointing at the main part.
    static func rootRelationships(target: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="\(target)"/></Relationships>
        """
    }
}
