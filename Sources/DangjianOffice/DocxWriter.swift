public import Foundation
public import DangjianDomain

/// Writes a simple A4 Word document (.docx): paragraphs with alignment, bold titles, first-line indent and page
/// breaks, and bordered tables with a bold header row, in a Chinese font. Enough for official letters (介绍信,
/// 提醒函), forms and reports (月报).
public struct DocxWriter: Sendable {
    public enum Alignment: String, Sendable { case left, center, right, both }

    public struct Paragraph: Sendable {
        public var text: String
        public var alignment: Alignment
        public var bold: Bool
        /// Half-points: 32 = 三号 (16 pt), 28 = 四号, 24 = 小四.
        public var size: Int
        public var indentFirstLine: Bool
        public var pageBreakBefore: Bool

        public init(
            _ text: String, alignment: Alignment = .both, bold: Bool = false, size: Int = 28, indentFirstLine: Bool = false,
            pageBreakBefore: Bool = false
        ) {
            self.text = text
            self.alignment = alignment
            self.bold = bold
            self.size = size
            self.indentFirstLine = indentFirstLine
            self.pageBreakBefore = pageBreakBefore
        }
    }

    /// A table: a header row (bold, repeated on every page) and body rows; cells are plain text.
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [[String]]
        /// Half-points, smaller than body text so that wide tables fit.
        public var size: Int

        public init(header: [String], rows: [[String]], size: Int = 21) {
            self.header = header
            self.rows = rows
            self.size = size
        }
    }

    enum Block: Sendable {
        case paragraph(Paragraph)
        case table(Table)
    }

    private(set) var blocks: [Block] = []
    public var font = "仿宋"

    public init() {}

    public mutating func add(_ paragraph: Paragraph) { blocks.append(.paragraph(paragraph)) }
    public mutating func add(_ table: Table) { blocks.append(.table(table)) }

    func runProperties(size: Int, bold: Bool) -> String {
        var run = "<w:rFonts w:ascii=\"\(font)\" w:hAnsi=\"\(font)\" w:eastAsia=\"\(font)\"/>"
        if bold { run += "<w:b/>" }
        return run + "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/><w:lang w:eastAsia=\"zh-CN\"/>"
    }

    func tableXML(_ table: Table) -> String {
        let columns = max(1, table.header.count)
        let width = 8844 / columns  // the text width of A4 with the margins below, in twentieths of a point
        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>"
        for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml += "<w:\(edge) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        }
        xml += "</w:tblBorders><w:tblLayout w:type=\"autofit\"/></w:tblPr><w:tblGrid>"
        xml += String(repeating: "<w:gridCol w:w=\"\(width)\"/>", count: columns) + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var r = "<w:tr>" + (header ? "<w:trPr><w:tblHeader/></w:trPr>" : "")
            for i in 0..<columns {
                let text = i < cells.count ? cells[i] : ""
                r +=
                    "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:jc w:val=\"\(header ? "center" : "left")\"/></w:pPr>"
                r +=
                    "<w:r><w:rPr>\(runProperties(size: table.size, bold: header))</w:rPr><w:t xml:space=\"preserve\">\(XLSXWriter.escape(text))</w:t></w:r></w:p></w:tc>"
            }
            return r + "</w:tr>"
        }
        xml += row(table.header, header: true)
        for cells in table.rows { xml += row(cells, header: false) }
        // Word needs a paragraph between a table and what follows it.
        return xml + "</w:tbl><w:p/>"
    }

    /// The document's bytes.
    public func data() throws -> Data {
        var parts: [(path: String, xml: String)] = []
        func add(_ path: String, _ text: String) { parts.append((path, text)) }
        add(
            "[Content_Types].xml",
            """
            \(OOXMLPackage.declaration)
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """)
        add("_rels/.rels", OOXMLPackage.rootRelationships(target: "word/document.xml"))
        var body = ""
        for block in blocks {
            guard case .paragraph(let p) = block else {
                if case .table(let t) = block { body += tableXML(t) }
                continue
            }
            var props = "<w:jc w:val=\"\(p.alignment.rawValue)\"/>"
            if p.pageBreakBefore { props = "<w:pageBreakBefore/>" + props }
            if p.indentFirstLine { props += "<w:ind w:firstLineChars=\"200\" w:firstLine=\"\(p.size * 20)\"/>" }
            props += "<w:spacing w:line=\"360\" w:lineRule=\"auto\"/>"
            body +=
                "<w:p><w:pPr>\(props)</w:pPr><w:r><w:rPr>\(runProperties(size: p.size, bold: p.bold))</w:rPr><w:t xml:space=\"preserve\">\(XLSXWriter.escape(p.text))</w:t></w:r></w:p>"
        }
        add(
            "word/document.xml",
            """
            \(OOXMLPackage.declaration)
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>
            """)
        return try OOXMLPackage.zip(parts)
    }
}

extension DocxWriter {
    /// The transfer letter (组织关系介绍信, MEM-04): each part on its own page — title centred in bold, the number
    /// flush right, the lines indented two characters, the signature lines flush right.
    public static func transferLetter(_ letter: TransferLetter) throws -> Data {
        var doc = DocxWriter()
        for part in letter.parts {
            doc.add(.init(part.title, alignment: .center, bold: true, size: 32, pageBreakBefore: part.startsNewPage))
            doc.add(.init(part.number, alignment: .right, size: 24))
            for line in part.lines { doc.add(.init(line, indentFirstLine: true)) }
            for line in part.signature { doc.add(.init(line, alignment: .right)) }
        }
        return try doc.data()
    }

    /// An official document (公文) in the common layout: A4, 仿宋 三号 body, title centred in 二号 bold, the number
    /// (文号) under it, the addressee flush left, paragraphs indented two characters, a table if any, then the issuing
    /// organ and the date in Chinese numerals (二〇二六年十一月二十二日) flush right.
    public static func official(_ document: OfficialDocument) throws -> Data {
        var doc = DocxWriter()
        doc.add(.init(document.title, alignment: .center, bold: true, size: 44))
        if let number = document.number { doc.add(.init(number, alignment: .center, size: 32)) }
        if let recipient = document.recipient { doc.add(.init(recipient, alignment: .left, size: 32)) }
        for paragraph in document.paragraphs { doc.add(.init(paragraph, size: 32, indentFirstLine: true)) }
        if !document.tableHeader.isEmpty { doc.add(Table(header: document.tableHeader, rows: document.tableRows, size: 24)) }
        doc.add(.init(" ", size: 32))
        doc.add(.init(document.issuer, alignment: .right, size: 32))
        doc.add(.init(ChineseNumerals.date(document.date), alignment: .right, size: 32))
        return try doc.data()
    }
}
