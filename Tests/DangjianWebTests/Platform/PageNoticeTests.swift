import Testing
import Foundation
import DangjianDomain
@testable import DangjianWeb

/// Issue 17 item 12: a saved form says so on the page it leads to, a label without a value is left out, and refusals
/// are styled like every other error.
@Suite("Page notices")
struct PageNoticeTests {
    @Test("registering a problem leads to its page with 已登记; only our own message is shown, never the query's text")
    func doneNotice() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let orgadmin = try #require(fixture.actors[.orgadmin])
        try await harness.withClient { client in
            let saved = try await client.send(
                .post, "/problems", as: orgadmin,
                form: [
                    "organisation": "\(fixture.tree["A1a1"])", "source": "self_check", "category": "组织生活", "description": "提示测试问题",
                    "found_on": "2026-06-03", "deadline": "2026-09-30",
                ])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.location)
            #expect(location.hasSuffix("?done=problem"))
            let page = try await client.send(.get, location, as: orgadmin)
            #expect(page.body.contains("id=\"flash\">\(DoneNotice.problemRegistered.message)<"))
            // The problem has no measures yet: no "整改措施：；责任人：" line.
            #expect(!page.body.contains("整改措施：") && !page.body.contains("责任人：<"))
            let plain = try await client.send(.get, String(location.prefix { $0 != "?" }), as: orgadmin)
            #expect(!plain.body.contains("id=\"flash\""))
            let forged = try await client.send(.get, String(location.prefix { $0 != "?" }) + "?done=%3Cscript%3E", as: orgadmin)
            #expect(forged.status == .ok && !forged.body.contains("id=\"flash\"") && !forged.body.contains("<script>"))
        }
        await harness.close()
    }

    @Test("the development plan without a batch says nothing about one; with one it names the count")
    func emptyLabels() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.tree["A1a1"]
        try await harness.withClient { client in
            let plain = try await client.send(.get, "/development?org=\(org)", as: worker)
            #expect(plain.status == .ok && !plain.body.contains("batch-done") && !plain.body.contains("已批量办理"))
            let after = try await client.send(.get, "/development?org=\(org)&batch=3", as: worker)
            #expect(after.body.contains("id=\"batch-done\">已批量办理 3 人。<"))
        }
        await harness.close()
    }

    @Test("an empty text field is an EmptyText (false in a section, renders nothing, still shadows); others stay text")
    func emptyText() throws {
        let flat = try #require(MustacheModel.flatten(SelectOption(value: "", label: "全部", selected: false)) as? TemplateFields)
        #expect(flat["value"] is EmptyText && flat["label"] as? String == "全部")
        #expect(EmptyText().isNull && EmptyText().renderText.isEmpty)
    }

    @Test("the stylesheet styles both error classes the templates use")
    func errorClassesStyled() throws {
        let css = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/DangjianWeb/Resources/public/app.css"), encoding: .utf8)
        #expect(css.contains(".error, .errors {"))
    }

    @Test("destructive and final actions ask for confirmation first (data-confirm)")
    func destructiveActionsConfirm() throws {
        let templates = Dictionary(uniqueKeysWithValues: try TemplatePathTests.templates().map { ($0.name, $0.text) })
        let marked: [(template: String, control: String)] = [
            ("development/forms.mustache", ">作废</button>"), ("account/tokens.mustache", ">吊销</button>"),
            ("lists/task_detail.mustache", ">报完成</button>"), ("lists/problem_detail.mustache", ">验收通过，销号</button>"),
            ("lists/problem_detail.mustache", ">申请销号</button>"), ("development/case.mustache", "name=\"cancel_probation\""),
            ("organisations/detail.mustache", "撤销后该组织"), ("lists/campaign_board.mustache", "/close\""),
        ]
        for (template, control) in marked {
            let text = try #require(templates[template], "\(template)")
            let line = try #require(text.split(separator: "\n").first { $0.contains(control) }, "\(template): \(control)")
            #expect(line.contains("data-confirm=\""), "\(template): \(control)")
        }
    }
}
