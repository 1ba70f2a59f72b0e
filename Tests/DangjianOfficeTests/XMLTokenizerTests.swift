import Testing
import Foundation
@testable import DangjianOffice

@Suite("XML tokenizer for spreadsheet parts")
struct XMLTokenizerTests {
    func events(_ xml: String) throws -> [XMLTokenizer.Event] {
        var tokens = XMLTokenizer(Array(xml.utf8))
        var out: [XMLTokenizer.Event] = []
        while let e = try tokens.next() { out.append(e) }
        return out
    }

    @Test("declarations, comments, prefixes, attributes in either quotes, self-closing elements, entities and CDATA")
    func wellFormed() throws {
        let xml = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- 注释 --><x:sheetData xmlns:x="urn:x"><x:row r='2'><c r="A2" t="inlineStr"/><v>A &amp; B &lt;&#x4E2D;&#25991;&gt; &quot;&apos;</v><t><![CDATA[<不是标记>]]></t></x:row></x:sheetData>
            """
        let e = try events(xml)
        #expect(
            e == [
                .start(name: "sheetData", attributes: [("xmlns:x", "urn:x")], selfClosing: false),
                .start(name: "row", attributes: [("r", "2")], selfClosing: false),
                .start(name: "c", attributes: [("r", "A2"), ("t", "inlineStr")], selfClosing: true),
                .end(name: "c"),
                .start(name: "v", attributes: [], selfClosing: false),
                .text("A & B <中文> \"'"),
                .end(name: "v"),
                .start(name: "t", attributes: [], selfClosing: false),
                .text("<不是标记>"),
                .end(name: "t"),
                .end(name: "row"),
                .end(name: "sheetData"),
            ])
    }

    @Test(
        "malformed input is an error with a Chinese reason, never a crash",
        arguments: [
            "<a><b></a></b>", "<a>", "<a></a><b></b>", "text<a/>", "<a>&bogus;</a>", "<a>&#0;</a>", "<!DOCTYPE a><a/>",
            "<a b=c/>", "<a b=\"x/>", "<a b></a>", "<a><</a>", "</a>", "<a>&#x110000;</a>",
        ])
    func malformed(_ xml: String) {
        #expect(throws: SpreadsheetError.self) { try events(xml) }
    }

    @Test("deep nesting is refused")
    func depth() {
        let xml = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(throws: SpreadsheetError.self) { try events(xml) }
    }

    @Test("a 100,000-row sheet written by our writer reads back row for row")
    func largeSheet() throws {
        var writer = XLSXWriter(sheetName: "大表", header: ["姓名", "编号", "备注"])
        for i in 0..<100_000 { writer.append(["党员\(i)", String(i), i % 7 == 0 ? "A&B <x>" : ""]) }
        let rows = try XLSXReader.read(try writer.data())
        #expect(rows.count == 100_001)
        #expect(rows[1].cells == ["党员0", "0", "A&B <x>"])
        #expect(rows[100_000].cells == ["党员99999", "99999"])
    }
}
