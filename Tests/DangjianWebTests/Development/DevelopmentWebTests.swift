import Testing
import Foundation
import Hummingbird
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport
import DangjianOffice
import ZIPFoundation

@Suite("发展党员 pages")
struct DevelopmentWebTests {
    @Test(
        "a secretary opens a case, records the first six steps, is refused an early development-target designation with DEV-08 and the earliest date, and finds the applicant eligible next month in the plan"
    )
    func earlyTargetRefused() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        let today = CivilDate(date: harness.services.clock.now())
        @Sendable func ago(_ days: Int) -> String { today.adding(days: -days).description }
        try await harness.withClient { client in
            let bad = try await client.send(
                .post, "/development", as: worker, form: ["org": String(org), "applicant_name": "李申请", "id_number": "110105200001010000"])
            #expect(bad.status == .badRequest && bad.body.contains("plan-problem"))
            let opened = try await client.send(
                .post, "/development", as: worker,
                form: [
                    "org": String(org), "applicant_name": "李申请", "id_number": MemberFixtures.idNumber(born: "1999-09-09", sequence: 950),
                ])
            let casePath = try #require(opened.location)
            #expect(opened.status == .seeOther && casePath.hasPrefix("/development/"))
            for (date, extra) in [
                (ago(400), [:]), (ago(390), [:]), (ago(350), ["recommendation": "members"]), (ago(349), [:]),
                (ago(349), ["person_1": "张联系", "full_1": "1"]), (ago(340), [:]),
            ] as [(String, [String: String])] {
                let step = try await client.send(.post, casePath + "/steps", as: worker, form: ["date": date].merging(extra) { a, _ in a })
                #expect(
                    step.status == .seeOther, "\(date): \(step.body.components(separatedBy: "step-problems").dropFirst().first?.prefix(300) ?? "")")
            }
            let page = try await client.send(.get, casePath, as: worker)
            #expect(page.body.contains("下一步：第 7 步 确定发展对象") && page.body.contains(today.adding(days: -350).adding(years: 1).description))
            #expect(!page.body.contains("预备期至"), "no probation before admission")
            #expect(page.body.contains("id=\"publicity_start\"") && page.body.contains("公示不少于 5 个工作日"), "DEV-17 asks for the publicity's start")
            let early = try await client.send(.post, casePath + "/steps", as: worker, form: ["date": today.description])
            #expect(
                early.status == .badRequest && early.body.contains("DEV-08")
                    && early.body.contains("最早可于 \(today.adding(days: -350).adding(years: 1)) 办理"))
            let plan = try await client.send(.get, "/development?org=\(org)&scope=own", as: worker)
            #expect(plan.body.contains("李申请") && plan.body.contains("下月可办理") && plan.body.contains("第 7 步 确定发展对象"))
            // The fixture's case is listed too; a case outside the worker's branch is not reachable.
            #expect(plan.body.contains("申请人甲"))
        }
        await harness.close()
    }

    @Test("节假日安排: the 系统管理员 saves a year's holidays and 调休 days (bad lines named, lines outside the year refused); a 公示 spanning them ends later")
    func holidayCalendar() async throws {
        let harness = try await WebHarness.make()
        let admin = try #require(harness.fixture.actors[.sysadmin])
        try await harness.withClient { client in
            let bad = try await client.send(.post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2025-10-01 国庆节 放假"])
            #expect(bad.status == .badRequest && bad.body.contains("第 1 行") && bad.body.contains("DEV-17"))
            let outside = try await client.send(.post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2026-01-01 元旦 休"])
            #expect(outside.status == .badRequest && outside.body.contains("不在 2025 年内"))
            let saved = try await client.send(
                .post, "/admin/holidays", as: admin, form: ["year": "2025", "calendar": "2025-10-01~2025-10-08 国庆节 休\n2025-09-28 国庆节调休 班"])
            #expect(saved.status == .seeOther)
            let page = try await client.send(.get, "/admin/holidays?year=2025", as: admin)
            #expect(page.body.contains("放假 8 天，调休上班 1 天") && page.body.contains("2025-09-28 国庆节调休 班"))
        }
        let calendar = try await harness.services.store.holidays.calendar()
        #expect(
            calendar.workingDay(5, from: CivilDate(iso: "2025-09-26")!) == CivilDate(iso: "2025-10-09")!,
            "Fri 26, Sun 28 (调休), 29, 30, then Thu 10-09")
        await harness.close()
    }

    @Test("入党志愿书编号台账 page: the office issues a numbered batch, a duplicate batch is refused with DEV-34, a number is voided with its reason")
    func applicationFormPage() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        try await harness.withClient { client in
            #expect(
                try await client.send(
                    .post, "/development/forms", as: orgadmin,
                    form: ["org": String(harness.fixture.tree["A1"]), "first": "粤2027000010", "count": "2"]
                ).status == .seeOther)
            let dup = try await client.send(
                .post, "/development/forms", as: orgadmin, form: ["org": String(harness.fixture.tree["A1"]), "first": "粤2027000011", "count": "1"])
            #expect(dup.status == .badRequest && dup.body.contains("DEV-34") && dup.body.contains("粤2027000011"))
            #expect(
                try await client.send(.post, "/development/forms/void", as: orgadmin, form: ["number": "粤2027000010", "reason": "遗失"]).status
                    == .seeOther)
            let page = try await client.send(.get, "/development/forms", as: orgadmin)
            #expect(page.body.contains("粤2027000011") && page.body.contains("已作废") && page.body.contains("遗失"))
        }
        await harness.close()
    }

    /// The text of a .docx body (word/document.xml) with the XML tags removed.
    static func docxText(_ bytes: [UInt8]) throws -> String {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    }

    @Test(
        "the end of the procedure over HTTP: documents from the case as .docx, approval recorded in a batch puts a 预备党员 on the roster (linked both ways), the annual plan counts it against the target and exports"
    )
    func documentsRosterAndAnnualPlan() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let services = harness.services
        let branch = harness.fixture.tree["A1a1"]
        let console = Actor.console("t")
        _ = try await services.applicationForms.issue(
            first: "粤2025000501", count: 1, organisationID: harness.fixture.tree["A1"], on: CivilDate(iso: "2025-06-01")!,
            access: .maintenance, actor: console)
        let id = try await services.development.open(
            applicantName: "王文书", idNumber: MemberFixtures.idNumber(born: "2000-03-03", sequence: 961),
            organisationID: branch, access: .maintenance, actor: console)
        for r in DevelopmentFixtures.records(through: .approvalTalk, formNumber: "粤2025000501") {
            _ = try await services.development.record(caseID: id, r, access: .maintenance, actor: console)
        }
        try await harness.withClient { client in
            let page = try await client.send(.get, "/development/\(id)", as: worker)
            for kind in ["activist-filing", "target-publicity", "target-filing", "admission-resolution"] {
                #expect(page.body.contains("/development/\(id)/documents/\(kind)"), "\(kind)")
            }
            #expect(!page.body.contains("documents/approval-notice") && !page.body.contains("case-member"))
            let early = try await client.send(.get, "/development/\(id)/documents/approval-notice", as: worker)
            #expect(early.status == .badRequest && early.body.contains("尚未记录第 17 步"))
            let resolution = try await client.send(.get, "/development/\(id)/documents/admission-resolution", as: worker)
            #expect(resolution.status == .ok && resolution.headers[.contentType] == Download.docx)
            let resolutionText = try Self.docxText(resolution.bodyBytes)
            #expect(resolutionText.contains("应到会有表决权的正式党员9名") && resolutionText.contains("同意接收王文书同志为中共预备党员"))
            // The committee approves in a batch (step 17); a step with a person's vote cannot be batched.
            let refused = try await client.send(
                .post, "/development/batch", as: worker, form: ["org": String(branch), "case": String(id), "step": "15", "date": "2025-07-20"])
            #expect(refused.status == .badRequest && refused.body.contains("须逐人办理"))
            let approved = try await client.send(
                .post, "/development/batch", as: worker,
                form: [
                    "org": String(branch), "case": String(id), "step": "17", "date": "2025-07-20", "approver_type": "party_committee",
                ])
            #expect(approved.status == .seeOther && approved.location == "/development?org=\(branch)&batch=1")
            let memberID = try #require(try await services.development.find(id, access: .maintenance)?.memberID)
            let casePage = try await client.send(.get, "/development/\(id)", as: worker)
            #expect(casePage.body.contains("case-member") && casePage.body.contains("/members/\(memberID)"))
            let memberPage = try await client.send(.get, "/members/\(memberID)", as: worker)
            #expect(memberPage.body.contains("预备党员") && memberPage.body.contains("2025-07-01") && memberPage.body.contains("/development/\(id)"))
            let notice = try await client.send(.get, "/development/\(id)/documents/approval-notice", as: worker)
            let noticeText = try Self.docxText(notice.bodyBytes)
            #expect(noticeText.contains("预备期一年，自2025年7月1日起至2026年7月1日止") && noticeText.contains("二〇二五年七月二十日") && noticeText.contains("甲县直机关工委"))
            // The annual plan: the committee sets the target; the branch's secretary cannot.
            #expect(
                try await client.send(
                    .post, "/development/targets", as: worker,
                    form: ["org": String(branch), "target_org": String(branch), "year": "2025", "target": "1"]
                ).isDenied)
            let bad = try await client.send(
                .post, "/development/targets", as: orgadmin,
                form: ["org": String(harness.fixture.tree["A1"]), "target_org": String(branch), "year": "2025", "target": "一"])
            #expect(bad.status == .badRequest && bad.body.contains("DEVPLAN-01"))
            #expect(
                try await client.send(
                    .post, "/development/targets", as: orgadmin,
                    form: ["org": String(harness.fixture.tree["A1"]), "target_org": String(branch), "year": "2025", "target": "1"]
                ).status == .seeOther)
            let annual = try await client.send(.get, "/development/annual?org=\(harness.fixture.tree["A1"])&year=2025", as: orgadmin)
            #expect(
                annual.body.contains("已完成计划") && annual.body.contains("计划 1 名") && annual.body.contains("已审批接收 1 名")
                    && annual.body.contains("target-form"))
            #expect(annual.body.contains("gap-warnings"), "branches of the fixture with no admission for three years are warned (DEVPLAN-02)")
            let sheet = try XLSXReader.read(
                Data(try await client.send(.get, "/development/annual.xlsx?org=\(harness.fixture.tree["A1"])&year=2025", as: orgadmin).bodyBytes)
            ).map(\.cells)
            let row = try #require(sheet.first { $0.first == "甲财政局一支部" })
            #expect(row[1] == "1" && row[2] == "1" && row[3] == "已完成计划" && row[7] == "1", "one open case in the admission stage")
        }
        await harness.close()
    }

    @Test(
        "the branch meeting over HTTP counts those who should attend less the approved exclusions (DEV-20); the talk before approval names its 组织员 (DEV-22)"
    )
    func exclusionsAndApprovalTalk() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let services = harness.services
        let console = Actor.console("t")
        _ = try await services.applicationForms.issue(
            first: "粤2025000601", count: 1, organisationID: harness.fixture.tree["A1"], on: CivilDate(iso: "2025-06-01")!,
            access: .maintenance, actor: console)
        let id = try await services.development.open(
            applicantName: "陈表决", idNumber: MemberFixtures.idNumber(born: "2000-05-05", sequence: 962),
            organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: console)
        for r in DevelopmentFixtures.records(through: .applicationForm, formNumber: "粤2025000601") {
            _ = try await services.development.record(caseID: id, r, access: .maintenance, actor: console)
        }
        try await harness.withClient { client in
            let form = try await client.send(.get, "/development/\(id)", as: worker)
            #expect(form.body.contains("id=\"excluded_abroad\"") && form.body.contains("id=\"exclusions_approved\""))
            var meeting = [
                "date": "2025-07-01", "branch_full_members": "10", "excluded_abroad": "1", "entitled": "10", "present": "9", "in_favour": "9",
            ]
            let miscounted = try await client.send(.post, "/development/\(id)/steps", as: worker, form: meeting)
            #expect(miscounted.status == .badRequest && miscounted.body.contains("DEV-20") && miscounted.body.contains("即 9 名"))
            meeting["entitled"] = "9"
            let unapproved = try await client.send(.post, "/development/\(id)/steps", as: worker, form: meeting)
            #expect(unapproved.status == .badRequest && unapproved.body.contains("上级党组织同意"))
            meeting["exclusions_approved"] = "1"
            #expect(try await client.send(.post, "/development/\(id)/steps", as: worker, form: meeting).status == .seeOther)
            let stored = try #require(
                try await services.development.find(id, access: .maintenance)?.developmentCase.record(of: .admissionMeeting)?.facts)
            #expect(stored.excluded == [.abroad] && stored.exclusionsApproved && stored.vote?.entitled == 9)
            // Step 16: the talk.
            let talkForm = try await client.send(.get, "/development/\(id)", as: worker)
            #expect(talkForm.body.contains("id=\"talker_role\""))
            let anonymous = try await client.send(.post, "/development/\(id)/steps", as: worker, form: ["date": "2025-07-10"])
            #expect(anonymous.status == .badRequest && anonymous.body.contains("DEV-22"))
            #expect(
                try await client.send(
                    .post, "/development/\(id)/steps", as: worker, form: ["date": "2025-07-10", "talker": "王组织员", "talker_role": "organiser"]
                ).status == .seeOther)
            let talk = try #require(try await services.development.find(id, access: .maintenance)?.developmentCase.record(of: .approvalTalk)?.facts)
            #expect(talk.people.first?.name == "王组织员" && talk.talkerRole == .organiser)
        }
        await harness.close()
    }

    @Test(
        "DEV-12: a deployment's 政治审查负面清单 saved in the rule book is offered at step 10 of a case opened under it; a finding refuses the review whatever the conclusion box says"
    )
    func negativeList() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let sysadmin = try #require(harness.fixture.actors[.sysadmin])
        let today = CivilDate(date: harness.services.clock.now()).description
        try await harness.withClient { client in
            var form = OrganisationSetupWebTests.ruleForm(version: "某县-负面清单", minimumAge: "18", effective: today)
            form["political_review_negative_list"] = "参加非法组织\n\n参加非法组织"
            let duplicate = try await client.send(.post, "/admin/rules", as: sysadmin, form: form)
            #expect(duplicate.status == .badRequest && duplicate.body.contains("DEV-12"))
            form["political_review_negative_list"] = "参加非法组织\n有严重违法犯罪记录"
            #expect(try await client.send(.post, "/admin/rules", as: sysadmin, form: form).status == .seeOther)
            #expect(try await client.send(.get, "/admin/rules", as: sysadmin).body.contains("参加非法组织\n有严重违法犯罪记录"))
        }
        let console = Actor.console("t")
        let id = try await harness.services.development.open(
            applicantName: "冯审查", idNumber: MemberFixtures.idNumber(born: "2000-07-07", sequence: 964),
            organisationID: harness.fixture.tree["A1a1"], access: .maintenance, actor: console)
        for r in DevelopmentFixtures.records(through: .sponsors) {
            _ = try await harness.services.development.record(caseID: id, r, access: .maintenance, actor: console)
        }
        try await harness.withClient { client in
            let page = try await client.send(.get, "/development/\(id)", as: worker)
            #expect(page.body.contains("id=\"negative-list\"") && page.body.contains("value=\"有严重违法犯罪记录\""))
            let refused = try await client.send(
                .post, "/development/\(id)/steps", as: worker,
                form: ["date": "2025-05-30", "review_passed": "1", "negative": "有严重违法犯罪记录"])
            #expect(refused.status == .badRequest && refused.body.contains("DEV-12") && refused.body.contains("有严重违法犯罪记录"))
            let passed = try await client.send(.post, "/development/\(id)/steps", as: worker, form: ["date": "2025-05-30", "review_passed": "1"])
            #expect(passed.status == .seeOther)
        }
        #expect(try await harness.services.development.find(id, access: .maintenance)?.developmentCase.rules.politicalReviewNegativeList.count == 2)
        await harness.close()
    }

    @Test(
        "materials: a step recorded with its scan (PDF) and the person who handled it lists and downloads the scan, audited; a disguised file is refused and nothing is written; a scan added later goes to the chosen step"
    )
    func materials() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let id = harness.fixture.developmentCase  // steps 1–3 recorded; step 4 (备案) is next
        let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\n".utf8)
        try await harness.withClient { client in
            let disguised = try await client.send(
                .post, "/development/\(id)/steps", as: worker, form: ["date": "2025-01-01"],
                upload: ("备案报告.pdf", Data("<script>alert(1)</script>".utf8)), uploadField: "evidence_file")
            #expect(disguised.status == .badRequest && disguised.body.contains("只接受 JPG、PNG 照片或 PDF"))
            #expect(
                try await harness.services.development.find(id, access: .maintenance)?.developmentCase.nextStep == .activistFiling, "nothing written")
            let recorded = try await client.send(
                .post, "/development/\(id)/steps", as: worker, form: ["date": "2025-01-01", "handler": "张组织委员"],
                upload: ("备案报告.pdf", pdf), uploadField: "evidence_file")
            #expect(recorded.status == .seeOther)
            let file = try #require(try await harness.services.development.find(id, access: .maintenance))
            let filing = try #require(file.entries.last)
            #expect(filing.record.step == .activistFiling && filing.attachments.map(\.fileName) == ["备案报告.pdf"])
            let material = filing.attachments[0].id
            let page = try await client.send(.get, "/development/\(id)", as: worker)
            #expect(page.body.contains("/development/\(id)/materials/\(material)") && page.body.contains("material-form"))
            #expect(page.body.contains("经办人 张组织委员") && filing.record.facts.handler == "张组织委员", "the person who handled the step")
            let download = try await client.send(.get, "/development/\(id)/materials/\(material)", as: worker)
            #expect(download.status == .ok && download.headers[.contentType] == "application/pdf" && Data(download.bodyBytes) == pdf)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            // A material of another case is not reachable through this one.
            #expect(try await client.send(.get, "/development/\(id)/materials/\(harness.fixture.attachment)", as: worker).status == .notFound)
            // A scan added later to step 1.
            let first = file.entries[0].id
            #expect(
                try await client.send(
                    .post, "/development/\(id)/materials", as: worker, form: ["entry": String(first)],
                    upload: ("谈话记录.png", WebFixture.png), uploadField: "evidence_file"
                ).status == .seeOther)
            let later = try #require(try await harness.services.development.find(id, access: .maintenance))
            #expect(later.entries[0].attachments.map(\.fileName) == ["入党申请书.png", "谈话记录.png"])
            let empty = try await client.send(.post, "/development/\(id)/materials", as: worker, form: ["entry": String(first)])
            #expect(empty.status == .badRequest && empty.body.contains("请选择要补充的材料文件"))
        }
        let audit = try await harness.services.audit.search(
            AuditQuery(objectType: "development_case", objectID: String(id)), database: harness.services.database)
        #expect(audit.records.contains { $0.summary.contains("下载发展党员材料“备案报告.pdf”") } && audit.records.contains { $0.summary.contains("补充第 1 步") })
        await harness.close()
    }

    @Test(
        "发展党员工作台账: every case in scope with its key dates, ID numbers masked, as .xlsx; audited with the count; another county's cases are not in it")
    func ledgerExport() async throws {
        let harness = try await WebHarness.make()
        let orgadmin = try #require(harness.fixture.actors[.orgadmin])
        let console = Actor.console("t")
        let elsewhere = try await harness.services.development.open(
            applicantName: "乙县申请人", idNumber: MemberFixtures.idNumber(born: "2001-01-01", sequence: 966),
            organisationID: harness.fixture.tree["B1"], access: .maintenance, actor: console)
        #expect(elsewhere > 0)
        try await harness.withClient { client in
            let plan = try await client.send(.get, "/development?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(plan.body.contains("ledger-export"))
            let response = try await client.send(.get, "/development/export.xlsx?org=\(harness.fixture.tree["A1"])&scope=subtree", as: orgadmin)
            #expect(response.status == .ok && response.headers[.contentType] == Download.xlsx)
            let sheet = try XLSXReader.read(Data(response.bodyBytes)).map(\.cells)
            #expect(sheet.first?.prefix(5) == ["党组织", "姓名", "性别", "出生年月", "公民身份号码"])  // H5: the month only beside a masked number
            #expect(sheet.count == 2, "the fixture's one case in A1's subtree, not B1's")
            let row = try #require(sheet.last)
            let header = try #require(sheet.first)
            func cell(_ name: String) -> String? { header.firstIndex(of: name).map { row[$0] } }
            #expect(cell("姓名") == "申请人甲" && cell("递交入党申请书") == "2024-03-01" && cell("推荐和确定入党积极分子") == "2024-05-10" && cell("档案状态") == "进行中")
            #expect(cell("公民身份号码")?.contains("*") == true && cell("公民身份号码")?.count == 18, "masked")
        }
        let audit = try await harness.services.audit.search(
            AuditQuery(action: AuditAction.export.rawValue, objectType: "development_case"), database: harness.services.database)
        #expect(audit.records.contains { $0.summary.contains("导出发展党员工作台账（1 人") })
        await harness.close()
    }
}
