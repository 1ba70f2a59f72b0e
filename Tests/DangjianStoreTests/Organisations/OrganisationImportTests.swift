import Testing
import Foundation
import DangjianDomain
import DangjianOffice
@testable import DangjianStore
import DangjianTestSupport

@Suite("Organisation import (组织机构导入)")
struct OrganisationImportTests {
    static let actor = Actor(userID: 1, name: "importer", ip: "127.0.0.1", requestID: "t")

    func xlsx(_ rows: [[String]]) throws -> Data {
        var writer = XLSXWriter(sheetName: "组织", header: rows[0])
        for row in rows.dropFirst() { writer.append(row) }
        return try writer.data()
    }

    @Test(
        "preview lists every problem by row and column; a file with problems writes nothing; a clean file is written once",
        arguments: TestBackend.enabled)
    func flow(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))
            _ = try await kit.accounts.create(username: "importer", displayName: "导入员", organisationID: nil, policy: .mlps, actor: .console("t"))
            let tree = try await FixtureTree.create(kit.organisations)
            let importer = kit.store.organisationImporter
            // A CSV as an office writes it: a title line, synonyms, columns in another order, full-width spaces.
            let broken = """
                甲县直属机关党组织一览表,,,,
                党组织名称,上级党组织,党组织类型,单位名称,单位性质,成立时间
                甲县审计局党总支,,党总支,甲县审计局,机关,2018年3月1日
                审计局第一党支部,甲县审计局党总支,党支部,,,2018.3.1
                审计局第二党支部,审计局党总支,党支部,,,
                审计局第三党支部,甲县审计局党总支,党小队,,,
                东关联合党支部,,联合党支部,东关村,农村,
                东关联合党支部,,联合党支部,,,
                """
            let preview = try await importer.preview(
                file: Data(broken.utf8), fileName: "orgs.csv", anchorID: tree["A1"], access: .maintenance, actor: Self.actor)
            let found = Set(preview.problems.map { "\($0.row) \($0.column)" })
            #expect(preview.headerRow == 2)
            #expect(found == ["5 上级党组织", "6 党组织类型", "7 单位性质", "8 党组织名称"], "\(preview.problems)")
            #expect(preview.problems.first { $0.row == 5 }?.message.contains("找不到") == true)
            #expect(!preview.canCommit)
            let before = try await kit.organisations.count()
            await #expect(throws: ValidationFailure.self) {
                try await importer.commit(jobID: preview.jobID, access: .maintenance, actor: Self.actor)
            }
            #expect(try await kit.organisations.count() == before, "nothing written")

            let clean = try xlsx([
                ["组织名称", "简称", "组织类型", "上级组织", "所在单位", "单位类别", "考核类别", "成立日期"],
                ["审计局第一党支部", "", "党支部", "审计局党总支", "", "", "", "2018-03-01"],  // child before its parent
                ["甲县审计局党总支", "审计局党总支", "党总支", "", "甲县审计局", "机关", "执法监督", "2018-03-01"],
                ["东关联合党支部", "", "联合党支部", "甲城关镇党委", "东关村", "村", "", ""],
            ])
            // 甲城关镇党委 is outside A1: only the anchor's subtree is searched.
            let outside = try await importer.preview(
                file: clean, fileName: "orgs.xlsx", anchorID: tree["A1"], access: .maintenance, actor: Self.actor)
            #expect(outside.problems.map(\.row) == [4])
            let ok = try await importer.preview(file: clean, fileName: "orgs.xlsx", anchorID: tree["A"], access: .maintenance, actor: Self.actor)
            #expect(ok.problems.isEmpty && ok.creates == 3 && ok.canCommit)
            let done = try await importer.commit(jobID: ok.jobID, access: .maintenance, actor: Self.actor)
            #expect(done.committed && done.creates == 3 && done.unitsAdded == 2)
            #expect(try await kit.organisations.count() == before + 3)
            let again = try await importer.commit(jobID: ok.jobID, access: .maintenance, actor: Self.actor)
            #expect(again.alreadyCommitted)
            // The same file once more: everything exists, nothing to write.
            let repeatPreview = try await importer.preview(
                file: clean, fileName: "orgs.xlsx", anchorID: tree["A"], access: .maintenance, actor: Self.actor)
            #expect(repeatPreview.creates == 0 && repeatPreview.unchanged == 3 && !repeatPreview.canCommit)
            // The branch sits under the general branch, dated from 成立日期; the joint branch's village unit makes 5-year terms.
            let all = try await kit.organisations.visible(access: .maintenance)
            let general = try #require(all.first { $0.name == "甲县审计局党总支" })
            let branch = try #require(all.first { $0.name == "审计局第一党支部" })
            #expect(branch.parentID == general.id && general.parentID == tree["A"])
            #expect(try await kit.organisations.history(of: branch.id, access: .maintenance).first?.effectiveDate.description == "2018-03-01")
            let units = kit.store.units
            #expect(try await units.units(of: general.id, access: .maintenance).map(\.assessmentCategory) == ["执法监督"])
        }
    }

    @Test("parents that name each other are a cycle, reported on both rows")
    func cycle() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let kit = StoreKit(database: scratch.database, clock: ManualClock(Date()))
            _ = try await kit.accounts.create(username: "importer", displayName: "导入员", organisationID: nil, policy: .mlps, actor: .console("t"))
            let tree = try await FixtureTree.create(kit.organisations)
            let importer = kit.store.organisationImporter
            let csv = "组织名称,组织类型,上级组织\n甲党总支,党总支,乙党总支\n乙党总支,党总支,甲党总支\n"
            let report = try await importer.preview(
                file: Data(csv.utf8), fileName: "c.csv", anchorID: tree["A"], access: .maintenance, actor: Self.actor)
            #expect(report.problems.contains { $0.message.contains("循环") })
            #expect(!report.canCommit)
        }
    }
}
