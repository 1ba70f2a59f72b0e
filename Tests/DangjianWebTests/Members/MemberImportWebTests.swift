import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
import DangjianOffice
@testable import DangjianWeb
import DangjianTestSupport

@Suite("Roster import pages")
struct MemberImportWebTests {
    static func roster(post: String) throws -> Data {
        var w = XLSXWriter(sheetName: "花名册", header: ["一支部党员花名册"])
        w.append(["姓名", "公民身份号码", "入党时间", "转正时间", "职务"])
        w.append(["导入甲", MemberFixtures.idNumber(born: "1981-01-01", sequence: 501), "2006-01-01", "2007-01-01", post])
        w.append(["导入乙", MemberFixtures.idNumber(born: "1982-02-02", sequence: 502), "2007.2.2", "2008年2月2日", ""])
        w.append(["坏行", "123", "2007-01-01", "", ""])
        return try w.data()
    }

    @Test("upload, preview with row problems, commit, and a second upload of the same file changes nothing")
    func flow() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            let page = try await client.send(.get, "/members/import?org=\(org)", as: worker)
            #expect(page.status == .ok && page.body.contains("enctype=\"multipart/form-data\""))
            let preview = try await client.send(
                .post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("花名册.xlsx", try Self.roster(post: "科员")))
            #expect(preview.status == .ok)
            #expect(preview.body.contains("id=\"count-create\">2<") && preview.body.contains("id=\"count-invalid\">1<"))
            #expect(preview.body.contains("<td data-label=\"行\">5</td><td data-label=\"列\">公民身份号码</td>"))
            let action = try #require(
                preview.body.range(of: #"/members/import/[0-9]+/commit"#, options: .regularExpression).map { String(preview.body[$0]) })
            // Issue 17 item 19: the problem rows as .xlsx — the row as the file had it, and what to correct.
            let problemsLink = action.replacingOccurrences(of: "/commit", with: "/problems.xlsx")
            #expect(preview.body.contains("href=\"\(problemsLink)\""))
            let problemRows = try await client.send(.get, problemsLink, as: worker)
            #expect(problemRows.status == .ok && problemRows.headers[.contentType] == Download.xlsx)
            let sheet = try XLSXReader.read(Data(problemRows.bodyBytes))
            #expect(sheet.count == 2 && sheet[0].cells.first == "姓名" && sheet[0].cells.last?.hasPrefix("问题") == true)
            #expect(sheet[1].cells.first == "坏行" && sheet[1].cells[1] == "123" && sheet[1].cells.last?.hasPrefix("第 5 行：") == true)
            let before = try await harness.services.members.list(MemberQuery(anchorID: org, scope: .own), access: .maintenance).total
            let commit = try await client.send(.post, action, as: worker, form: [:])
            #expect(commit.status == .ok && commit.body.contains("id=\"import-done\""))
            let after = try await harness.services.members.list(MemberQuery(anchorID: org, scope: .own), access: .maintenance).total
            #expect(after == before + 2)
            let again = try await client.send(
                .post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("花名册.xlsx", try Self.roster(post: "科员")))
            #expect(again.body.contains("id=\"count-unchanged\">2<") && !again.body.contains("id=\"commit-form\""))
            let changed = try await client.send(
                .post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("花名册.xlsx", try Self.roster(post: "副主任科员")))
            #expect(changed.body.contains("id=\"count-update\">1<") && changed.body.contains("职务：科员 → 副主任科员"))
            // Someone else's job cannot be committed.
            let other = harness.fixture.importJobs[.orgadmin]!
            #expect(try await client.send(.post, "/members/import/\(other)/commit", as: worker, form: [:]).status == .notFound)
        }
        await harness.close()
    }

    @Test("the masked roster export uploaded again is recognised once, not as a problem in every cell (issue 17 item 10)")
    func maskedExport() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            let export = try await client.send(.get, "/members/export.xlsx?org=\(org)&scope=own", as: worker)
            #expect(export.status == .ok)
            let preview = try await client.send(
                .post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("党员名册.xlsx", Data(export.bodyBytes)))
            #expect(preview.status == .ok)
            #expect(preview.body.contains("这是脱敏导出的名册"))
            #expect(!preview.body.contains("<td data-label=\"行\">"), "no row-by-row problems")
            #expect(!preview.body.contains("id=\"commit-form\""))
        }
        await harness.close()
    }

    @Test("zip bombs, images and oversize uploads are refused with a Chinese message, nothing stored")
    func refusals() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        var bombWriter = XLSXWriter(sheetName: "s", header: ["姓名"])
        // Nine megabytes of one repeated character: a few kilobytes once deflated, a ratio far past 100×.
        bombWriter.append(Array(repeating: String(repeating: "党", count: 30_000), count: 100))
        let bomb = try bombWriter.data()
        try await harness.withClient { client in
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])
            let image = try await client.send(.post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("roster.xlsx", png))
            #expect(image.status == .badRequest && image.body.contains("不是 Excel"))
            let compressed = try await client.send(.post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("bomb.xlsx", bomb))
            #expect(compressed.status == .badRequest && compressed.body.contains("压缩"), "\(bomb.count) bytes")
            let big = try await client.send(
                .post, "/members/import?org=\(org)", as: worker, form: [:], upload: ("big.csv", Data(count: 12 * 1024 * 1024)))
            #expect(big.status == .contentTooLarge)
        }
        await harness.close()
    }
}
