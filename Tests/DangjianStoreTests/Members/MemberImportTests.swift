import Testing
import Foundation
import SQLKit
import DangjianDomain
import DangjianOffice
@testable import DangjianStore
import DangjianTestSupport

@Suite("Roster import")
struct MemberImportTests {
    static let actor = Actor(userID: 1, name: "importer", ip: "127.0.0.1", requestID: "t")

    struct World {
        var kit: StoreKit
        var members: MemberRepository
        var importer: MemberImportService
        var tree: FixtureTree
        var access: OrganisationAccess
    }

    static func world(_ scratch: ScratchDatabase) async throws -> World {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_305_600))
        let kit = StoreKit(database: scratch.database, clock: clock)
        let tree = try await FixtureTree.create(kit.organisations)
        _ = try await kit.accounts.create(username: "importer", displayName: "导入员", organisationID: nil, policy: .mlps, actor: .console("t"))
        let members = kit.store.members
        let a1a = try #require(try await kit.organisations.find(tree["A1a"], access: .maintenance))
        let access = OrganisationAccess(
            permission: .membersWrite, reaches: [OrganisationReach(organisationID: a1a.id, path: a1a.path, scope: .subtree)])
        return World(kit: kit, members: members, importer: kit.store.importer, tree: tree, access: access)
    }

    /// A roster as an office keeps it: title row, synonyms, columns in their own order, dates typed every way.
    static func roster(post: String = "科员") throws -> Data {
        var w = XLSXWriter(sheetName: "花名册", header: ["财政局党总支党员花名册（2026年）"])
        w.append(["序号", "公民身份号码", " 姓 名 ", "入党时间", "转正时间", "所在党支部", "文化程度", "联系电话", "职务", "备注"])
        w.append([
            "1", MemberFixtures.idNumber(born: "1980-05-01", sequence: 11), "王一", "2005.5.1", "2006年5月1日", "甲财政局一支部", "本科", "13800000001", post, "无",
        ])
        w.append(["2", MemberFixtures.idNumber(born: "1975-02-02", sequence: 12).lowercased(), "李二", "38899", "39264", "甲财政局二支部", "大专", "", "", ""])
        w.append(["3", "１１０１０５１９４９１２３１００２Ｘ", "张三", "1975-7-1", "1976-07-01", "甲财政局一支部", "硕士", "", "", ""])
        w.append(["4", "110105194912310021", "坏校验", "2000-01-01", "2001-01-01", "甲财政局一支部", "本科", "", "", ""])
        w.append(["5", MemberFixtures.idNumber(born: "1990-01-01", sequence: 13), "太早", "2007-01-01", "", "甲财政局一支部", "本科", "", "", ""])
        w.append(["6", MemberFixtures.idNumber(born: "1985-01-01", sequence: 14), "外组织", "2010-01-01", "2011-01-01", "乙县某支部", "本科", "", "", ""])
        w.append(["7", "4.4052418800101e+17", "数字格式", "2010-01-01", "2011-01-01", "甲财政局一支部", "本科", "", "", ""])
        return try w.data()
    }

    static func count(_ db: Database) async throws -> Int {
        try await db.read { try await $0.raw("SELECT COUNT(*) AS n FROM members").first()!.decode(column: "n", as: Int.self) }
    }

    @Test("the preview lists every row's problems with row, column and rule, and writes nothing", arguments: TestBackend.enabled)
    func preview(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let report = try await w.importer.preview(
                file: try Self.roster(), fileName: "花名册.xlsx", organisationID: w.tree["A1a"], access: w.access, actor: Self.actor)
            #expect(report.headerRow == 2)
            #expect(report.ignoredColumns == ["序号", "备注"])
            #expect(report.creates == 3 && report.invalid == 4 && report.updates == 0)
            let problems = report.rows.flatMap(\.problems)
            #expect(problems.contains { $0.row == 6 && $0.column == "公民身份号码" && $0.message.contains("校验位") })
            #expect(problems.contains { $0.row == 7 && $0.column == "入党时间" && $0.ruleID == "DEV-01" })
            #expect(problems.contains { $0.row == 8 && $0.column == "所在党支部" && $0.message.contains("乙县某支部") })
            #expect(problems.contains { $0.row == 9 && $0.message.contains("存成了数字") })
            #expect(try await Self.count(scratch.database) == 0)
        }
    }

    @Test("commit writes the valid rows; the same file again changes nothing; one changed cell is one audited update", arguments: TestBackend.enabled)
    func idempotentCommit(_ backend: TestBackend) async throws {
        try await ScratchDatabase.with(backend) { scratch in
            let w = try await Self.world(scratch)
            let first = try await w.importer.preview(
                file: try Self.roster(), fileName: "a.xlsx", organisationID: w.tree["A1a"], access: w.access, actor: Self.actor)
            let committed = try await w.importer.commit(jobID: first.jobID, access: w.access, actor: Self.actor)
            #expect(committed.creates == 3 && committed.invalid == 4)
            #expect(try await Self.count(scratch.database) == 3)
            // Created in one batch: still one audit record per member, with its fields, and an intact hash chain.
            let creates = try await w.kit.audit.search(AuditQuery(action: "create", objectType: "member"), database: scratch.database).records
            #expect(
                creates.count == 3 && Set(creates.map(\.objectID)).count == 3 && creates.allSatisfy { $0.changes.contains { $0.field == "name" } })
            #expect(try await w.kit.audit.verify(database: scratch.database).firstBadID == nil)
            let again = try await w.importer.commit(jobID: first.jobID, access: w.access, actor: Self.actor)
            #expect(again.alreadyCommitted)
            // Same file, second job: nothing to do.
            let auditBefore = try await w.kit.audit.search(AuditQuery(objectType: "member"), database: scratch.database).total
            let second = try await w.importer.preview(
                file: try Self.roster(), fileName: "a.xlsx", organisationID: w.tree["A1a"], access: w.access, actor: Self.actor)
            #expect(second.unchanged == 3 && second.creates == 0 && second.updates == 0)
            _ = try await w.importer.commit(jobID: second.jobID, access: w.access, actor: Self.actor)
            #expect(try await w.kit.audit.search(AuditQuery(objectType: "member"), database: scratch.database).total == auditBefore)
            // One changed cell.
            let third = try await w.importer.preview(
                file: try Self.roster(post: "副科长"), fileName: "b.xlsx", organisationID: w.tree["A1a"], access: w.access, actor: Self.actor)
            #expect(third.updates == 1 && third.changedFields == 1)
            _ = try await w.importer.commit(jobID: third.jobID, access: w.access, actor: Self.actor)
            let updates = try await w.kit.audit.search(AuditQuery(action: "update", objectType: "member"), database: scratch.database).records
            #expect(updates.count == 1 && updates[0].changes == [FieldChange(field: "post", old: "科员", new: "副科长")])
            // The stored file is wiped after the commit.
            let leftovers = try await scratch.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM import_jobs WHERE status = 'committed' AND file_enc <> ''").first()!.decode(
                    column: "n", as: Int.self)
            }
            #expect(leftovers == 0)
        }
    }

    @Test("a failure in the middle of the commit leaves no row of the file written")
    func atomic() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let w = try await Self.world(scratch)
            let report = try await w.importer.preview(
                file: try Self.roster(), fileName: "a.xlsx", organisationID: w.tree["A1a"], access: w.access, actor: Self.actor)
            // Injected fault: the database refuses the third member.
            try await scratch.database.write { db in
                try await db.raw("CREATE TRIGGER fail_third BEFORE INSERT ON members WHEN NEW.name = '张三' BEGIN SELECT RAISE(ABORT, 'injected'); END")
                    .run()
            }
            await #expect(throws: (any Error).self) { try await w.importer.commit(jobID: report.jobID, access: w.access, actor: Self.actor) }
            #expect(try await Self.count(scratch.database) == 0)
            let status = try await scratch.database.read { db in
                try await db.raw("SELECT status FROM import_jobs WHERE id = \(bind: report.jobID)").first()!.decode(column: "status", as: String.self)
            }
            #expect(status == "previewed")
        }
    }

    @Test("a CSV in GB18030 without a title row imports the same way, and the template is a readable file")
    func csvAndTemplate() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let w = try await Self.world(scratch)
            let id = MemberFixtures.idNumber(born: "1970-03-03", sequence: 21)
            let csv = "姓名,身份证号,入党日期,转正日期,党员身份\r\n周五,\(id),1995-03-03,1996-03-03,正式党员\r\n"
            let data = try #require(csv.data(using: String.Encoding(rawValue: 0x8000_0632)))
            let report = try await w.importer.preview(
                file: data, fileName: "名册.csv", organisationID: w.tree["A1a1"], access: w.access, actor: Self.actor)
            #expect(report.creates == 1 && report.rows[0].organisation == "甲财政局一支部")
            let template = try TableReader.read(try MemberImportService.template())
            #expect(template.first?.cells.contains("身份证号") == true)
            await #expect(throws: ValidationFailure.self) {
                try await w.importer.preview(
                    file: Data("%PDF-1.4 binary".utf8) + Data([0, 1, 2]), fileName: "x.pdf", organisationID: w.tree["A1a"], access: w.access,
                    actor: Self.actor)
            }
        }
    }
}

@Suite("Rows kept between an import's preview and its commit")
struct PreviewedRowsTests {
    @Test("rows come back once, for the same job and the same file bytes, within 15 minutes; at most two previews are kept")
    func keepAndTake() {
        let cache = PreviewedRows()
        let rows = [SheetRow(number: 2, cells: ["张三", "110105194912310021"])]
        let file = Data("file one".utf8)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        cache.keep(rows, job: 1, file: file, now: start)
        #expect(cache.take(job: 1, file: Data("file two".utf8), now: start) == nil, "another file's bytes: parse again")
        cache.keep(rows, job: 1, file: file, now: start)
        #expect(cache.take(job: 2, file: file, now: start) == nil)
        #expect(cache.take(job: 1, file: file, now: start.addingTimeInterval(60)) == rows)
        #expect(cache.take(job: 1, file: file, now: start.addingTimeInterval(60)) == nil, "used once")
        cache.keep(rows, job: 3, file: file, now: start)
        #expect(cache.take(job: 3, file: file, now: start.addingTimeInterval(15 * 60 + 1)) == nil, "too old")
        for job in Int64(4)...6 { cache.keep(rows, job: job, file: file, now: start) }
        #expect(cache.take(job: 4, file: file, now: start) == nil, "only the two newest are kept")
        #expect(cache.take(job: 6, file: file, now: start) == rows)
    }

    @Test("失联 members import with their reason and date (issue 17, item 19): the columns are the member field table's")
    func lostContactColumns() async throws {
        try await ScratchDatabase.with(.sqlite) { scratch in
            let w = try await MemberImportTests.world(scratch)
            let lost = MemberFixtures.idNumber(born: "1972-04-04", sequence: 31)
            let missing = MemberFixtures.idNumber(born: "1973-05-05", sequence: 33)
            let csv =
                "姓名,身份证号,入党日期,转正日期,党员身份,党籍状态,失联原因,失联日期\r\n"
                + "郑六,\(lost),1996-04-04,1997-04-04,正式党员,失联,外出务工,2025-03-01\r\n"
                + "冯七,\(missing),1996-05-05,1997-05-05,正式党员,失联,,\r\n"
            let report = try await w.importer.preview(
                file: Data(csv.utf8), fileName: "名册.csv", organisationID: w.tree["A1a1"], access: w.access, actor: MemberImportTests.actor)
            #expect(report.creates == 1 && report.invalid == 1)
            #expect(report.rows[1].problems.contains { $0.column == "失联原因" && $0.ruleID == RuleID.mem07.code })
        }
    }
}
