import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianOffice
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

@Suite("三单一账 pages")
struct ListsWebTests {
    @Test(
        "the rectification loop over HTTP: the branch plans and requests closure, cannot accept (403); an office user who rectified is refused with LIST-03; another accepts; the letter is a .docx with its number; the 月通报 and its .xlsx agree"
    )
    func rectificationLoop() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let orgadmin = try #require(fixture.actors[.orgadmin])
        let problem = "/problems/\(fixture.problem)"
        try await harness.withClient { client in
            // The worker sees the problem in the list with its state, plans and requests closure.
            let list = try await client.send(.get, "/problems", as: worker)
            #expect(list.status == .ok && list.body.contains("记录不全") && list.body.contains("待整改"))
            let emptyPlan = try await client.send(
                .post, problem, as: worker, form: ["action": "plan", "text": " ", "responsible": "王", "deadline": "2099-01-01"])
            #expect(emptyPlan.status == .badRequest && emptyPlan.body.contains("请填写整改措施") && emptyPlan.body.contains("LIST-04"))
            #expect(
                try await client.send(
                    .post, problem, as: worker, form: ["action": "plan", "text": "补齐记录", "responsible": "王书记", "deadline": "2099-01-01"]
                ).status == .seeOther)
            #expect(try await client.send(.post, problem, as: worker, form: ["action": "request_closure", "text": "已补齐"]).status == .seeOther)
            let denied = try await client.send(.post, problem, as: worker, form: ["action": "accept", "text": "自己验收"])
            #expect(denied.status == .forbidden)
            // The office user reported progress once before (a rectifier): refused with LIST-03.
            #expect(try await client.send(.post, problem, as: orgadmin, form: ["action": "reject", "text": "缺签名"]).status == .seeOther)
            #expect(try await client.send(.post, problem, as: orgadmin, form: ["action": "progress", "text": "督促补签"]).status == .seeOther)
            #expect(try await client.send(.post, problem, as: worker, form: ["action": "request_closure", "text": "已补签"]).status == .seeOther)
            let own = try await client.send(.post, problem, as: orgadmin, form: ["action": "accept", "text": "同意"])
            #expect(own.status == .badRequest && own.body.contains("LIST-03"))
            let page = try await client.send(.get, problem, as: orgadmin)
            #expect(page.body.contains("须由其他人员验收") && !page.body.contains("id=\"accept-form\""))
            // The letter downloads as a Word document with its number and body.
            let letter = try await client.send(.get, "/letters/\(fixture.letter)/letter.docx", as: worker)
            #expect(letter.status == .ok && letter.headers[.contentType] == Download.docx)
            #expect(Array(letter.bodyBytes.prefix(2)) == Array("PK".utf8), "a zip package (its text is read by python-docx in e2e/test_lists.py)")
            #expect(letter.headers[.contentDisposition]?.contains("filename") == true)
            // Sending, then acknowledging by the branch; the report counts the letter and its acknowledgement.
            #expect(try await client.send(.post, "/letters/\(fixture.letter)/acknowledge", as: worker, form: [:]).body.contains("尚未发送"))
            #expect(try await client.send(.post, "/letters/\(fixture.letter)/sent", as: worker, form: [:]).status == .forbidden)
            #expect(try await client.send(.post, "/letters/\(fixture.letter)/sent", as: orgadmin, form: [:]).status == .seeOther)
            #expect(try await client.send(.post, "/letters/\(fixture.letter)/acknowledge", as: worker, form: [:]).status == .seeOther)
            let report = try await client.send(.get, "/ledger/report", as: orgadmin)
            #expect(report.status == .ok && report.body.contains("下发提醒函 1 份"))
            let xlsx = try await client.send(.get, "/ledger/report?format=xlsx", as: orgadmin)
            let summary = try XLSXReader.read(Data(xlsx.bodyBytes)).map(\.cells)  // the first sheet, 汇总
            #expect(summary.first == ["项目", "本月", "本年累计"])
            #expect(summary.contains { $0.first == "下发提醒函" && $0.count >= 3 && $0[1] == "1" && $0[2] == "1" })
            #expect(summary.contains { $0.first == "已签收" && $0[2] == "1" })
            #expect(summary.contains { $0.first == "发现问题" && $0[2] == "2" }, "the fixture's self-check problem and the visit's finding")
            // The 问题整改台账 export: every problem with measures, responsible person and state.
            let ledger = try XLSXReader.read(Data(try await client.send(.get, "/problems/export.xlsx", as: worker).bodyBytes)).map(\.cells)
            #expect(ledger.first?.prefix(5) == ["序号", "单位", "来源", "类别", "问题"] && ledger.count == 3)
            #expect(ledger.contains { $0.contains("记录不全") && $0.contains("补齐记录") && $0.contains("王书记") && $0.contains("申请销号") })
        }
        await harness.close()
    }

    @Test(
        "a supervision group member without a role records a visit to the group's unit; findings one per line become problems; a unit outside the group is refused"
    )
    func memberRecordsVisit() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let kit = harness.services
        // The fixture's group member is the 'target' user (a 党员 of another branch): give them a session.
        let session = try await kit.sessions.start(userID: fixture.targetUserID, ip: "127.0.0.1", userAgent: "test")
        let inspector = FixtureActor(
            userID: fixture.targetUserID, username: "target", sessionToken: session.token, csrf: session.record.csrfToken, apiToken: "", apiTokenID: 0
        )
        try await kit.accounts.setDemoPassword(userID: fixture.targetUserID, password: WebFixture.password, actor: .console("t"))
        let today = CivilDate(date: kit.clock.now())
        try await harness.withClient { client in
            let round = try await client.send(.get, "/supervision/rounds/\(fixture.supervisionRound)", as: inspector)
            #expect(round.status == .ok && round.body.contains("visit-form"))
            let recorded = try await client.send(
                .post, "/supervision/rounds/\(fixture.supervisionRound)/visits", as: inspector,
                form: [
                    "group": String(fixture.supervisionGroup), "organisation": String(fixture.tree["A1a1"]), "visited_on": today.description,
                    "findings": "组织生活：三会一课记录不全\n阵地建设|活动室未挂牌\n学习资料未更新", "deadline_days": "15",
                ])
            #expect(recorded.status == .seeOther)
            let problems = try await kit.store.problems
                .list(anchorID: fixture.tree["A1a1"], scope: .own, state: .found, access: .maintenance)
            #expect(Set(problems.map(\.category)).isSuperset(of: ["组织生活", "阵地建设", "其他"]))
            #expect(problems.first { $0.category == "其他" }?.deadline == today.adding(days: 15))
            let outside = try await client.send(
                .post, "/supervision/rounds/\(fixture.supervisionRound)/visits", as: inspector,
                form: [
                    "group": String(fixture.supervisionGroup), "organisation": String(fixture.tree["A1a2"]), "visited_on": today.description,
                    "findings": "x：y",
                ])
            #expect(outside.status == .badRequest && outside.body.contains("不在“第一督导组”的督导范围内"))
            // The inspector cannot issue letters or see the problem pages (no ledger permission).
            #expect(try await client.send(.get, "/letters/new?visit=\(fixture.supervisionVisit)", as: inspector).status == .forbidden)
        }
        await harness.close()
    }

    @Test(
        "责任清单 pages: a bad template line is named; the branch records a duty done and sees it in its list; the overview shows every branch's colour and stars"
    )
    func dutyPages() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let orgadmin = try #require(fixture.actors[.orgadmin])
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let bad = try await client.send(
                .post, "/duties/templates", as: orgadmin,
                form: [
                    "org": String(fixture.tree["A1"]), "name": "八个一", "post": "两新党支部书记", "applies_to": "branch", "items": "每年 述职\n每周 例会",
                ])
            #expect(bad.status == .badRequest && bad.body.contains("第 2 行应以"))
            let list = "/duties/\(fixture.dutyList)"
            let page = try await client.send(.get, list, as: worker)
            #expect(page.status == .ok && page.body.contains("讲一次党课") && page.body.contains("召开一次支委会"))
            // Items naming a meeting are fulfilled by the meeting records (one ledger): only the letter can be entered here.
            #expect(page.body.contains("讲一次党课（由“党课”记录自动完成）") && page.body.components(separatedBy: "<option value=\"").count == 2)
            #expect(page.body.contains("id=\"legend\""))
            let item = try #require(page.body.components(separatedBy: "<option value=\"").dropFirst().first?.prefix { $0 != "\"" })
            let recorded = try await client.send(
                .post, list + "/records", as: worker, form: ["item": String(item), "date": today.description, "text": "签订目标责任书", "evidence": "责任书原件"])
            #expect(recorded.status == .seeOther)
            let after = try await client.send(.get, list, as: worker)
            #expect(after.body.contains("签订目标责任书") && after.body.contains("责任书原件"))
            let empty = try await client.send(
                .post, list + "/records", as: worker, form: ["item": String(item), "date": today.description, "text": " "])
            #expect(empty.status == .badRequest && empty.body.contains("请填写完成情况"))
            let overview = try await client.send(.get, "/duties", as: orgadmin)
            #expect(overview.body.contains("duty-lists") && overview.body.contains("甲财政局一支部") && overview.body.contains("甲教育局支部"))
            #expect(try await client.send(.get, "/duties/\(fixture.dutyList)", as: fixture.actors[.member]!).isDenied)
        }
        await harness.close()
    }

    @Test(
        "待办: the branch is told to plan its problem and acknowledge a sent letter, and warned of a task 临期 (LIST-01); the office is told to accept a closure request"
    )
    func todoItems() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let orgadmin = try #require(fixture.actors[.orgadmin])
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            #expect(
                try await client.send(
                    .post, "/campaigns/\(fixture.campaign)/tasks", as: orgadmin,
                    form: [
                        "category": "理论武装", "title": "临期任务", "deadline": today.adding(days: 3).description, "assignees": String(fixture.tree["A1a1"]),
                    ]
                ).status == .seeOther)
            #expect(try await client.send(.post, "/letters/\(fixture.letter)/sent", as: orgadmin, form: [:]).status == .seeOther)
            let board = try XLSXReader.read(Data(try await client.send(.get, "/campaigns/\(fixture.campaign)/board.xlsx", as: orgadmin).bodyBytes))
                .map(\.cells)
            #expect(board.first?.prefix(3) == ["类别", "重点任务", "时限"] && board.contains { $0.prefix(2) == ["理论武装", "临期任务"] && $0.last == "临期" })
            var todo = try await client.send(.get, "/todo", as: worker)
            #expect(todo.body.contains("任务、问题整改与责任清单"))
            #expect(todo.body.contains("任务“临期任务”临期：还剩 3 天") && todo.body.contains("LIST-01"))
            #expect(todo.body.contains("请制定整改措施") && todo.body.contains("请签收"))
            #expect(
                try await client.send(
                    .post, "/problems/\(fixture.problem)", as: worker,
                    form: ["action": "plan", "text": "补齐", "responsible": "王", "deadline": "2099-01-01"]
                ).status == .seeOther)
            #expect(
                try await client.send(.post, "/problems/\(fixture.problem)", as: worker, form: ["action": "request_closure", "text": "已补齐"]).status
                    == .seeOther)
            todo = try await client.send(.get, "/todo", as: orgadmin)
            #expect(todo.body.contains("已申请销号，请组织验收"))
            todo = try await client.send(.get, "/todo", as: worker)
            #expect(!todo.body.contains("请组织验收"), "the branch does not accept")
        }
        await harness.close()
    }

    @Test(
        "evidence files: a photo uploaded with a ledger entry or a closure request is stored, listed and downloaded byte for byte; other file kinds are refused with the reason and nothing is written; the ledger is append-only"
    )
    func evidenceFiles() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 7, count: 3000)
        try await harness.withClient { client in
            let task = "/tasks/\(fixture.taskAssignment)"
            let stored = try await client.send(
                .post, task, as: worker, form: ["action": "progress", "text": "现场照片"], upload: ("现场.jpg", jpeg), uploadField: "evidence_file")
            #expect(stored.status == .seeOther)
            let page = try await client.send(.get, task, as: worker)
            #expect(page.body.contains("附件：现场.jpg") && page.body.contains("附件：现场.png"))
            let link = try #require(page.body.components(separatedBy: "href=\"/attachments/").dropFirst().last?.prefix { $0 != "\"" })
            let download = try await client.send(.get, "/attachments/\(link)", as: worker)
            #expect(download.status == .ok && Data(download.bodyBytes) == jpeg && download.headers[.contentType] == "image/jpeg")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            let text = try await client.send(
                .post, task, as: worker, form: ["action": "progress", "text": "伪装文件"], upload: ("a.jpg", Data("<script>".utf8)),
                uploadField: "evidence_file")
            #expect(text.status == .badRequest && text.body.contains("只接受 JPG、PNG 照片或 PDF 文件"))
            // What was typed stays on the form; only the file is chosen again (issue 17 item 6).
            #expect(text.body.contains(">伪装文件</textarea>") && text.body.contains("请重新选择照片或 PDF 文件"))
            #expect(!(try await client.send(.get, task, as: worker)).body.contains("伪装文件"), "the entry was not written without its file")
            // A closure request with a PDF.
            let problem = "/problems/\(fixture.problem)"
            #expect(
                try await client.send(
                    .post, problem, as: worker, form: ["action": "plan", "text": "补齐", "responsible": "王", "deadline": "2099-01-01"]
                ).status == .seeOther)
            let pdf = Data("%PDF-1.4\n%test\n".utf8)
            #expect(
                try await client.send(
                    .post, problem, as: worker, form: ["action": "request_closure", "text": "整改报告"], upload: ("整改报告.pdf", pdf),
                    uploadField: "evidence_file"
                ).status == .seeOther)
            #expect(try await client.send(.get, problem, as: worker).body.contains("附件：整改报告.pdf"))
            // Someone without the ledger permission cannot fetch it.
            #expect(try await client.send(.get, "/attachments/\(link)", as: fixture.actors[.member]!).isDenied)
        }
        // The ledger, the problem events and the files cannot be changed or deleted, even by SQL.
        let database = harness.services.database
        for table in ["ledger_entries", "problem_events", "attachments"] {
            await #expect(throws: (any Error).self, "\(table) is append-only") {
                try await database.write { db in try await db.raw("DELETE FROM \(ident: table)").run() }
            }
        }
        await harness.close()
    }
}
