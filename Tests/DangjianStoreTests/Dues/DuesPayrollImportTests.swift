import Testing
import Foundation
import SQLKit
import DangjianDomain
import DangjianOffice
@testable import DangjianStore
import DangjianTestSupport

/// Issue 18, item 1 (store): the payroll sheet previewed, committed all or nothing, idempotent, with last year's
/// amounts beside this year's and each change audited field by field — on SQLite and PostgreSQL.
@Suite("党费基数 payroll import (DUES-09/15)")
struct DuesPayrollImportTests {
    static let actor = Actor(userID: 1, name: "importer", ip: "127.0.0.1", requestID: "t")

    /// Three members of A1a1 (one with last year's base), one of B1 (out of reach).
    struct World {
        var kit: StoreKit
        var tree: FixtureTree
        var access: OrganisationAccess
        var ids: [String: String]
        var members: [String: Int64]
    }

    static func world(_ scratch: ScratchDatabase) async throws -> World {
        let kit = StoreKit(database: scratch.database, clock: ManualClock(Date(timeIntervalSince1970: 1_795_305_600)))  // 2026-11-22
        let tree = try await FixtureTree.create(kit.organisations)
        _ = try await kit.accounts.create(username: "importer", displayName: "导入员", organisationID: nil, policy: .mlps, actor: .console("t"))
        var ids: [String: String] = [:]
        var members: [String: Int64] = [:]
        for (i, (name, org)) in [("王一", "A1a1"), ("李二", "A1a1"), ("张三", "A1a1"), ("外人", "B1")].enumerated() {
            let draft = MemberFixtures.draft(name: name, born: "198\(i)-03-01", sequence: 900 + i)
            ids[name] = draft.idNumber
            members[name] = try await kit.store.members.create(draft, organisationID: tree[org], access: .maintenance, actor: .console("t")).id
        }
        // Last year 王一 paid 40.00 a month (4,000.00 × 1 %).
        _ = try await kit.store.dues.setBase(
            memberID: try #require(members["王一"]), year: try #require(CalendarYear(2025)), category: .employed, base: Fen(400_000),
            expectedVersion: 0, access: .maintenance, actor: .console("t"))
        let a1 = try #require(try await kit.organisations.find(tree["A1"], access: .maintenance))
        let access = OrganisationAccess(
            permission: .membersWrite, reaches: [OrganisationReach(organisationID: a1.id, path: a1.path, scope: .subtree)])
        return World(kit: kit, tree: tree, access: access, ids: ids, members: members)
    }

    /// A payroll sheet as HR sends it: a title row, gross pay and the DUES-15 components, columns in their own order.
    static func sheet(_ w: World, extraRows: [[String]] = [], wangGross: String = "8000.00") throws -> Data {
        var x = XLSXWriter(sheetName: "工资表", header: ["2026年1月工资发放表"])
        x.append(["序号", "姓名", "身份证号码", "应发合计", "个人所得税", "养老保险（个人）", "住房公积金", "基础性绩效", "人员类别", "备注"])
        x.append(["1", "王一", w.ids["王一"]!, wangGross, "120.00", "640.00", "960.00", "1000", "在职", ""])
        x.append(["2", "李二", w.ids["李二"]!, "5200", "", "", "", "", "退休", "离退休费"])
        x.append(["3", "张三", w.ids["张三"]!, "", "", "", "", "", "学生", ""])
        for row in extraRows { x.append(row) }
        return try x.data()
    }

    @Test(
        "preview: the base computed from gross less DUES-15's components, last year's amount beside; commit; again changes nothing",
        arguments: TestBackend.enabled)
    func previewCommitIdempotent(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let importer = w.kit.store.duesPayroll
            let year = try #require(CalendarYear(2026))
            let preview = try await importer.preview(
                file: try Self.sheet(w), fileName: "工资表.xlsx", organisationID: w.tree["A1"], year: year, access: w.access, actor: Self.actor)
            #expect(preview.headerRow == 2 && preview.ignored == ["序号", "基础性绩效", "备注"])
            #expect(preview.fileProblems.isEmpty && preview.invalid == 0 && preview.creates == 3 && preview.committable)
            let wang = try #require(preview.lines.first { $0.name == "王一" })
            // 8000 − 120 − 640 − 960 = 6280.00 → 1.5 % = 94.20; last year 40.00.
            #expect(wang.base == Fen(628_000) && wang.monthly == Fen(9_420) && wang.lastYear == Fen(4_000))
            #expect(wang.explanation == "应发合计 8000.00 − 个人所得税 120.00 − 养老保险（个人） 640.00 − 住房公积金 960.00 = 6280.00")
            #expect(preview.lines.first { $0.name == "李二" }?.monthly == Fen(5_200), "a retiree's 5,200.00 → 1 % (DUES-05)")
            #expect(preview.lines.first { $0.name == "张三" }?.monthly == Fen(20), "a student 0.20 (DUES-06)")
            #expect(preview.raised == 1)
            let nothing = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dues_bases WHERE year = 2026").first()?.decode(column: "n", as: Int.self)
            }
            #expect(nothing == 0, "a preview writes no base")

            let committed = try await importer.commit(jobID: preview.jobID, year: year, access: w.access, actor: Self.actor)
            #expect(committed.creates == 3)
            let line = try #require(try await w.kit.store.dues.line(memberID: w.members["王一"]!, year: year, access: .maintenance))
            #expect(line.line.monthly == Fen(9_420) && line.line.base == Fen(628_000) && line.line.category == .employed)
            // The same job again: already committed. The same file as a new job: all unchanged, nothing written.
            #expect(try await importer.commit(jobID: preview.jobID, year: year, access: w.access, actor: Self.actor).alreadyCommitted)
            let again = try await importer.preview(
                file: try Self.sheet(w), fileName: "工资表.xlsx", organisationID: w.tree["A1"], year: year, access: w.access, actor: Self.actor)
            #expect(again.unchanged == 3 && again.creates == 0 && again.updates == 0)
            let auditBefore = try await Self.auditCount(scratch.database)
            _ = try await importer.commit(jobID: again.jobID, year: year, access: w.access, actor: Self.actor)
            #expect(try await Self.auditCount(scratch.database) == auditBefore, "nothing changed, nothing audited (only the job)")

            // A raise mid-sheet: one update, audited field by field.
            let raised = try await importer.preview(
                file: try Self.sheet(w, wangGross: "12000"), fileName: "工资表2.xlsx", organisationID: w.tree["A1"], year: year, access: w.access,
                actor: Self.actor)
            #expect(raised.updates == 1 && raised.unchanged == 2)
            _ = try await importer.commit(jobID: raised.jobID, year: year, access: w.access, actor: Self.actor)
            let changes = try await scratch.database.read { db in
                try await db.raw("SELECT changes FROM audit_log WHERE object_type = 'dues_base' AND action = 'update' ORDER BY id DESC LIMIT 1")
                    .first()?
                    .decode(column: "changes", as: String.self)
            }
            #expect(changes?.contains("dues_base") == true && changes?.contains("10280.00") == true && changes?.contains("dues_monthly") == true)
        }
    }

    @Test(
        "all or nothing: an unknown ID, a bad cell, a duplicate, a name mismatch — each named with row and rule; nothing written",
        arguments: TestBackend.enabled)
    func refusals(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let importer = w.kit.store.duesPayroll
            let year = try #require(CalendarYear(2026))
            let unknown = MemberFixtures.idNumber(born: "1970-01-01", sequence: 999)
            let file = try Self.sheet(
                w,
                extraRows: [
                    ["4", "无名", unknown, "5000", "", "", "", "", "", ""],
                    ["5", "外人", w.ids["外人"]!, "5000", "", "", "", "", "", ""],
                    ["6", "王一", w.ids["王一"]!, "5000", "", "", "", "", "", ""],
                    ["7", "赵四", w.ids["李二"]!, "-100", "", "", "", "", "退休", ""],
                    ["8", "钱五", "4.4052418800101e+17", "abc", "", "", "", "", "", ""],
                    ["9", "孙六", MemberFixtures.idNumber(born: "1971-01-01", sequence: 998), "3000", "5000", "", "", "", "", ""],
                ])
            let preview = try await importer.preview(
                file: file, fileName: "有问题.xlsx", organisationID: w.tree["A1"], year: year, access: w.access, actor: Self.actor)
            let messages = preview.lines.flatMap(\.problems).map { "第\($0.row)行 \($0.column)：\($0.fullMessage)" }
            func has(_ row: Int, _ text: String) -> Bool {
                preview.lines.flatMap(\.problems).contains { $0.row == row && $0.fullMessage.contains(text) }
            }
            #expect(has(6, "不在") && has(6, "DUES-10"), "\(messages)")
            #expect(has(7, "不在"), "B1 is outside A1's subtree and the access")
            #expect(has(8, "与第 3 行的身份证号相同"))
            #expect(has(9, "应发合计不能为负数") && has(9, "DUES-15"))
            #expect(has(9, "姓名“赵四”与名册"))
            #expect(has(10, "被 Excel 存成了数字") && has(10, "“abc”应为"))
            #expect(has(11, "扣除项合计 5000.00 元大于应发合计 3000.00 元") && has(11, "DUES-15"))
            #expect(!preview.committable && preview.invalid == 6)
            await #expect(throws: ValidationFailure.self) {
                try await importer.commit(jobID: preview.jobID, year: year, access: w.access, actor: Self.actor)
            }
            let written = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dues_bases WHERE year = 2026").first()?.decode(column: "n", as: Int.self)
            }
            #expect(written == 0, "the clean rows were not written either")
            // A file without the ID column: a file problem, no rows.
            var bad = XLSXWriter(sheetName: "x", header: ["姓名", "应发工资"])
            bad.append(["王一", "5000"])
            let noID = try await importer.preview(
                file: try bad.data(), fileName: "x.xlsx", organisationID: w.tree["A1"], year: year, access: w.access, actor: Self.actor)
            #expect(noID.fileProblems.contains { $0.contains("缺少必需的列“身份证号”") } && !noID.committable)
        }
    }

    static func auditCount(_ db: Database) async throws -> Int {
        try await db.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE object_type = 'dues_base'").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
