import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import DangjianDomain
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 17, item 21: a province's systems read and write organisational life, the roll-up, development, tasks,
/// problems and the ledger through `/api/v1`, with the pages' rules and scopes.
@Suite("API parity: meetings, roll-up, development, tasks, problems, ledger")
struct APIParityTests {
    static func bearer(_ token: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        fields[.contentType] = "application/json"
        return fields
    }

    static func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("a meeting recorded through the API is checked as on the page (LIFE-02), read back with its attendance, and counts in the roll-up")
    func meetings() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let org = fixture.tree["A1a1"]
        let member = try #require(fixture.memberIDs["A1a1"])
        let today = CivilDate(date: harness.services.clock.now())
        try await harness.withClient { client in
            let headers = Self.bearer(worker.apiToken)
            // A vote whose tally does not add up is refused with the rule, nothing saved.
            let before = try await harness.services.meetings.list(organisationID: org, year: today.year, access: .maintenance).count
            let bad = try await client.send(
                .post, "/api/v1/organisations/\(org)/meetings", as: nil,
                json: """
                    {"kind":"general_meeting","held_on":"\(today)","topic":"接口党员大会","attendance":[{"member_id":\(member),"status":"present"}],
                     "votes":[{"motion":"通过总结","entitled":1,"present":1,"for":2}]}
                    """, headers: headers)
            #expect(bad.status == .unprocessableContent && bad.body.contains("LIFE-02"), "\(bad.body)")
            let stranger = try await client.send(
                .post, "/api/v1/organisations/\(org)/meetings", as: nil,
                json: "{\"kind\":\"theme_day\",\"held_on\":\"\(today)\",\"attendance\":[{\"member_id\":999999,\"status\":\"present\"}]}",
                headers: headers)
            #expect(stranger.status == .unprocessableContent && stranger.body.contains("attendance[0].member_id"))
            #expect(try await harness.services.meetings.list(organisationID: org, year: today.year, access: .maintenance).count == before)

            let saved = try await client.send(
                .post, "/api/v1/organisations/\(org)/meetings", as: nil,
                json: """
                    {"kind":"支部党员大会","held_on":"\(today)","topic":"接口党员大会","attendance":[{"member_id":\(member),"status":"出席"}],
                     "votes":[{"motion":"通过总结","entitled":1,"for":1}]}
                    """, headers: headers)
            #expect(saved.status == .created, "\(saved.body)")
            let record = try Self.object(saved.body)
            let id = try #require((record["meeting"] as? [String: Any])?["id"] as? Int)
            let votes = try #require(record["votes"] as? [[String: Any]])
            #expect(votes.first?["present"] as? Int == 1 && votes.first?["passed"] as? Bool == true, "实到 taken from the attendance (LIFE-02)")
            let read = try Self.object(try await client.send(.get, "/api/v1/meetings/\(id)", as: nil, headers: headers).body)
            let attendance = try #require(read["attendance"] as? [[String: Any]])
            #expect(attendance.contains { $0["member_id"] as? Int == Int(member) && $0["status"] as? String == "present" })
            let list = try Self.object(try await client.send(.get, "/api/v1/organisations/\(org)/meetings", as: nil, headers: headers).body)
            #expect((list["items"] as? [[String: Any]])?.contains { $0["id"] as? Int == id } == true)
            // Out of scope: another branch's meetings are 404 for this worker.
            let other = try await client.send(.get, "/api/v1/organisations/\(fixture.tree["A1a2"])/meetings", as: nil, headers: headers)
            #expect(other.status == .notFound)

            // The roll-up: the same states as the page, with the legend.
            let rollUp = try Self.object(try await client.send(.get, "/api/v1/compliance?org=\(org)&scope=own", as: nil, headers: headers).body)
            let service = try await harness.services.compliance.rollUp(anchorID: org, scope: .own, access: .maintenance)
            let line = try #require((rollUp["items"] as? [[String: Any]])?.first)
            #expect(line["state"] as? String == service.organisations.first?.worst.map(LifeAPI.stateCode))
            #expect((rollUp["legend"] as? String)?.contains("红色") == true && rollUp["counts"] is [String: Int])
        }
        await harness.close()
    }

    @Test("problems, tasks and the ledger through the API: register, plan, progress, acceptance refused to the branch, the ledger lists the entry")
    func listsAndLedger() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let orgadmin = try #require(fixture.actors[.orgadmin])
        let org = fixture.tree["A1a1"]
        try await harness.withClient { client in
            let office = Self.bearer(orgadmin.apiToken)
            let branch = Self.bearer(worker.apiToken)
            // An unreadable deadline is named, as on the page.
            let bad = try await client.send(
                .post, "/api/v1/problems", as: nil,
                json: "{\"organisation_id\":\(org),\"description\":\"台账不全\",\"found_on\":\"2026-01-05\",\"deadline\":\"下月底\"}", headers: office)
            #expect(bad.status == .unprocessableContent && bad.body.contains("下月底"), "\(bad.body)")
            let created = try await client.send(
                .post, "/api/v1/problems", as: nil,
                json:
                    "{\"organisation_id\":\(org),\"source\":\"self_check\",\"category\":\"组织生活\",\"description\":\"台账不全\",\"found_on\":\"2026-01-05\",\"deadline\":\"2030-01-31\"}",
                headers: office)
            #expect(created.status == .created, "\(created.body)")
            let problem = try #require(try Self.object(created.body)["id"] as? Int)
            let denied = try await client.send(.post, "/api/v1/problems", as: nil, json: "{\"organisation_id\":\(org)}", headers: branch)
            #expect(denied.status == .forbidden, "registering needs ledger.manage")
            let planned = try await client.send(
                .post, "/api/v1/problems/\(problem)", as: nil,
                json: "{\"action\":\"plan\",\"text\":\"补齐台账\",\"responsible\":\"王书记\",\"deadline\":\"2030-01-31\"}", headers: branch)
            let plannedState = try Self.object(planned.body)["state"] as? String
            #expect(planned.status == .ok && plannedState == "rectifying", "\(planned.body)")
            let accept = try await client.send(
                .post, "/api/v1/problems/\(problem)", as: nil, json: "{\"action\":\"accept\",\"text\":\"同意\"}", headers: branch)
            #expect(accept.status == .forbidden && accept.body.contains("督导部门"))
            let problems = try Self.object(try await client.send(.get, "/api/v1/problems?org=\(org)&scope=own", as: nil, headers: branch).body)
            #expect(
                (problems["items"] as? [[String: Any]])?.contains { $0["id"] as? Int == problem && $0["responsible"] as? String == "王书记" } == true)

            // A task's progress in the ledger, then the ledger across the branch.
            let task = fixture.taskAssignment
            let progress = try await client.send(
                .post, "/api/v1/tasks/\(task)", as: nil, json: "{\"action\":\"progress\",\"text\":\"接口记台账\",\"evidence\":\"会议记录\"}", headers: branch)
            #expect(progress.status == .ok && progress.body.contains("接口记台账"), "\(progress.body)")
            let tasks = try Self.object(try await client.send(.get, "/api/v1/tasks", as: nil, headers: branch).body)
            #expect((tasks["items"] as? [[String: Any]])?.contains { $0["id"] as? Int == Int(task) && $0["deadline_status"] is String } == true)
            let ledger = try Self.object(try await client.send(.get, "/api/v1/ledger?org=\(org)&scope=own&limit=5", as: nil, headers: branch).body)
            let lines = try #require(ledger["items"] as? [[String: Any]])
            #expect(
                lines.first.flatMap { ($0["entry"] as? [String: Any])?["text"] as? String } == "接口记台账"
                    && lines.first?["subject_type"] as? String == "task")
            let badDate = try await client.send(.get, "/api/v1/ledger?org=\(org)&from=2026-13-01", as: nil, headers: branch)
            #expect(badDate.status == .badRequest && badDate.body.contains("from"))
        }
        await harness.close()
    }

    @Test("development through the API: a case opened, a step refused with its rule, the next step recorded, read back with its steps")
    func development() async throws {
        let harness = try await WebHarness.make()
        let fixture = harness.fixture
        let worker = try #require(fixture.actors[.worker])
        let org = fixture.tree["A1a1"]
        try await harness.withClient { client in
            let headers = Self.bearer(worker.apiToken)
            let opened = try await client.send(
                .post, "/api/v1/development/cases", as: nil,
                json:
                    "{\"organisation_id\":\(org),\"applicant_name\":\"接口申请人\",\"id_number\":\"\(MemberFixtures.idNumber(born: "2001-03-04", sequence: 771))\"}",
                headers: headers)
            #expect(opened.status == .created, "\(opened.body)")
            let id = try #require(try Self.object(opened.body)["id"] as? Int)
            let next = try Self.object(opened.body)["next_step"] as? Int
            #expect(next == DevelopmentStep.application.rawValue)
            let again = try await client.send(
                .post, "/api/v1/development/cases", as: nil,
                json:
                    "{\"organisation_id\":\(org),\"applicant_name\":\"接口申请人\",\"id_number\":\"\(MemberFixtures.idNumber(born: "2001-03-04", sequence: 771))\"}",
                headers: headers)
            #expect(again.status == .unprocessableContent && again.body.contains("DEV-36"), "one case per person")
            let step = try await client.send(
                .post, "/api/v1/development/cases/\(id)/steps", as: nil, json: "{\"date\":\"2026-03-02\"}", headers: headers)
            #expect(step.status == .created, "\(step.body)")
            // The talk (step 2) dated before the application is refused, naming its rule and the earliest day.
            let early = try await client.send(
                .post, "/api/v1/development/cases/\(id)/steps", as: nil, json: "{\"date\":\"2026-03-01\"}", headers: headers)
            #expect(
                early.status == .unprocessableContent && early.body.contains("DEVSTEP-02") && early.body.contains("最早可于 2026-03-02"), "\(early.body)")
            let read = try Self.object(try await client.send(.get, "/api/v1/development/cases/\(id)", as: nil, headers: headers).body)
            #expect((read["steps"] as? [[String: Any]])?.map { $0["step"] as? Int } == [DevelopmentStep.application.rawValue])
            let list = try Self.object(try await client.send(.get, "/api/v1/development/cases?org=\(org)&scope=own", as: nil, headers: headers).body)
            #expect((list["items"] as? [[String: Any]])?.contains { $0["id"] as? Int == id } == true)
        }
        await harness.close()
    }
}
