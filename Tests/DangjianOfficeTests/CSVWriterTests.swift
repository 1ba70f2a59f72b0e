import Testing
import Foundation
@testable import DangjianOffice

@Suite("CSV export")
struct CSVWriterTests {
    @Test("formula triggers are neutralised", arguments: ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
    func neutralises(_ cell: String) {
        #expect(SpreadsheetSafety.neutralise(cell) == "'" + cell)
    }

    @Test("quoting, BOM and CRLF")
    func format() {
        var csv = CSVWriter(header: ["姓名", "备注"])
        csv.append(["王\"小\"明", "a,b"])
        csv.append(["=cmd|' /C calc'!A0", "正常"])
        let text = String(decoding: csv.data, as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}姓名,备注\r\n"))
        #expect(text.contains("\"王\"\"小\"\"明\",\"a,b\"\r\n"))
        #expect(text.contains("'=cmd|' /C calc'!A0,正常\r\n"))
        #expect(csv.rowCount == 2)
    }
}
