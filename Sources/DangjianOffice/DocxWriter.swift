public import Foundation

/// Writes a simple A4 Word document (.docx): paragraphs with alignment, bold titles, first-line indent and page
/// breaks, in a Chinese font. Enough for official letters (介绍信, 提醒函) and forms.
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

        public init(_ text: String, alignment: Alignment = .both, bold: Bool = false, size: Int = 28, indentFirstLine: Bool = false, pageBreakBefore: Bool = false) {
            self.text = text
            self.alignment = alignment
            self.bold = bold
            self.size = size
            self.indentFirstLine = indentFirstLine
            self.pageBreakBefore = pageBreakBefore
        }
    }

    public private(set) var paragraphs: [Paragraph] = []
    public var font = "仿宋"

    public init() {}

    public mutating func add(_ paragraph: Paragraph) { paragraphs.append(paragraph) }

    /// The document's bytes.
    public func data() throws -> Data {
        var parts: [(path: String, xml: String)] = []
        func add(_ path: String, _ text: String) { parts.append((path, text)) }
        add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """)
        add("_rels/.rels", OOXMLPackage.rootRelationships(target: "word/document.xml"))
        var body = ""
        for p in paragraphs {
            var props = "<w:jc w:val=\"\(p.alignment.rawValue)\"/>"
            if p.pageBreakBefore { props = "<w:pageBreakBefore/>" + props }
            if p.indentFirstLine { props += "<w:ind w:firstLineChars=\"200\" w:firstLine=\"\(p.size * 20)\"/>" }
            props += "<w:spacing w:line=\"360\" w:lineRule=\"auto\"/>"
            var run = "<w:rFonts w:ascii=\"\(font)\" w:hAnsi=\"\(font)\" w:eastAsia=\"\(font)\"/>"
            if p.bold { run += "<w:b/>" }
            run += "<w:sz w:val=\"\(p.size)\"/><w:szCs w:val=\"\(p.size)\"/><w:lang w:eastAsia=\"zh-CN\"/>"
            body += "<w:p><w:pPr>\(props)</w:pPr><w:r><w:rPr>\(run)</w:rPr><w:t xml:space=\"preserve\">\(XLSXWriter.escape(p.text))</w:t></w:r></w:p>"
        }
        add("word/document.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>
            """)
        return try OOXMLPackage.zip(parts)
    }
}

/// Chinese numerals for dates in official documents (大写: 二〇二六年十一月).
public enum ChineseNumerals {
    static let digits: [Character] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 2026 → 二〇二六.
    public static func year(_ year: Int) -> String { String(String(year).compactMap { $0.wholeNumberValue.map { digits[$0] } }) }

    /// 1…31 → 一…三十一.
    public static func number(_ n: Int) -> String {
        switch n {
        case 0..<10: return String(digits[n])
        case 10: return "十"
        case 11..<20: return "十" + String(digits[n - 10])
        default: return String(digits[n / 10]) + "十" + (n % 10 == 0 ? "" : String(digits[n % 10]))
        }
    }

    /// 二〇二六年十一月.
    public static func yearMonth(_ year: Int, _ month: Int) -> String { "\(Self.year(year))年\(number(month))月" }
}
