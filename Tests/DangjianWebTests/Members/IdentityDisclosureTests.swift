import Testing
import Foundation
import HTTPTypes
import DangjianDomain
import DangjianOffice
import DangjianStore
@testable import DangjianWeb
import DangjianTestSupport

/// Issue 15, H5: what pages, exports and the API show of a person together must not give their ID number back.
///
/// For each person, every surface a 党务工作者 reaches without the reveal action is read, the masked number and any
/// birth information on it are taken, and the 18-digit numbers that agree with all of it (shown digits, birth
/// date or month, gender, check digit) are counted. The count must stay above 1,000 even when the attacker knows the
/// county (the six area digits), the worst case. The old mask (`6101**********1234`) beside the birth date left one.
@Suite("Identity disclosure (issue 15, H5)")
struct IdentityDisclosureTests {
    /// What one surface showed of a person.
    struct Seen {
        var masked: String
        var birth: String?
    }

    /// The ID numbers that agree with `seen` and the person's gender. `knownArea` is the area code taken as known
    /// (worst case); nil enumerates the area digits the mask hides.
    static func candidates(_ seen: [Seen], gender: Gender, knownArea: String?, trueID: String) -> (count: Int, containsTruth: Bool) {
        let shown: [Character?] = (0..<18).map { i in
            for s in seen { let c = Array(s.masked); if c.count == 18, c[i] != "*" { return c[i] } }
            return nil
        }
        // The most precise birth information any surface gave: a day, else a month, else the year of the truth
        // (the age on every list gives about that much).
        let truthBirth = String(Array(trueID)[6..<14])
        let births = seen.compactMap(\.birth).map { $0.replacingOccurrences(of: "-", with: "") }
        let birthPattern = births.max { $0.count < $1.count } ?? String(truthBirth.prefix(4))
        var days: [String] = []
        let year = Int(birthPattern.prefix(4)) ?? 0
        for month in 1...12 {
            for day in 1...31 {
                guard CivilDate(year: year, month: month, day: day) != nil else { continue }
                let compact = String(format: "%04d%02d%02d", year, month, day)
                if compact.hasPrefix(birthPattern) { days.append(compact) }
            }
        }
        var areas: [String] = []
        if let knownArea {
            areas = [knownArea]
        } else {
            for n in 0..<1_000_000 {
                let a = Array(String(format: "%06d", n))
                if (0..<6).allSatisfy({ shown[$0] == nil || shown[$0] == a[$0] }) { areas.append(String(a)) }
                if areas.count > 10_000 { break }
            }
        }
        var count = 0
        var containsTruth = false
        for area in areas where (0..<6).allSatisfy({ shown[$0] == nil || shown[$0] == Array(area)[$0] }) {
            for day in days where (0..<8).allSatisfy({ shown[6 + $0] == nil || shown[6 + $0] == Array(day)[$0] }) {
                for sequence in 0..<1000 {
                    let seq = Array(String(format: "%03d", sequence))
                    guard (sequence % 2 == 1) == (gender == .male) else { continue }
                    guard (0..<3).allSatisfy({ shown[14 + $0] == nil || shown[14 + $0] == seq[$0] }) else { continue }
                    let body = area + day + String(seq)
                    guard let check = IDNumber.checkCharacter(for: body) else { continue }
                    if let c = shown[17], c != check { continue }
                    count += 1
                    if body + String(check) == trueID { containsTruth = true }
                }
            }
        }
        return (count, containsTruth)
    }

    /// The dates in `text` that carry birth information for `birth` (its day or its month).
    static func birthTokens(in text: String, birth: CivilDate) -> [String] {
        let day = birth.description
        let month = Masking.birthMonth(birth)
        var found: [String] = []
        if text.contains(day) { found.append(day) }
        if text.contains(month) { found.append(month) }
        return found
    }

    @Test("H5: roster list, exports, API and development ledger leave > 1,000 candidates with the county known")
    func h5() async throws {
        let harness = try await WebHarness.make()
        let worker = try #require(harness.fixture.actors[.worker])
        let org = harness.fixture.organisation(.own, for: .worker)
        let memberID = harness.fixture.member(.own, for: .worker)
        let console = Actor.console("t")
        let member = try #require(try await harness.services.members.find(memberID, access: .maintenance))
        let trueID = try #require(try await harness.services.members.reveal(.idNumber, of: memberID, access: .maintenance, actor: console))

        let (list, csv, xlsx, apiList, apiOne, detail) = try await harness.withClient { client in
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer \(worker.apiToken)"
            return (
                try await client.send(.get, "/members?org=\(org)", as: worker),
                try await client.send(.get, "/members/export.csv?org=\(org)", as: worker),
                try await client.send(.get, "/members/export.xlsx?org=\(org)", as: worker),
                try await client.send(.get, "/api/v1/members?org=\(org)", as: nil, headers: bearer),
                try await client.send(.get, "/api/v1/members/\(memberID)", as: nil, headers: bearer),
                try await client.send(.get, "/members/\(memberID)", as: worker)
            )
        }
        for r in [list, csv, xlsx, apiList, apiOne, detail] { #expect(r.status == .ok) }

        // Each surface: the part about this person, then the masked number and the birth tokens in it.
        var seen: [Seen] = []
        func take(_ text: String, _ surface: String) {
            let masks = text.matches(of: /[0-9]{4}[0-9*]{13}[0-9Xx*]/).map { String($0.output) }
            #expect(masks.count == 1, "\(surface): \(masks)")
            for m in masks { seen.append(Seen(masked: m, birth: Self.birthTokens(in: text, birth: member.birthDate).first)) }
        }
        let row = try #require(list.body.components(separatedBy: "<tr>").first { $0.contains("/members/\(memberID)\"") })
        take(row, "list")
        take(try #require(csv.body.split(separator: "\n").map(String.init).first { $0.contains(member.name) }), "csv")
        let sheet = try XLSXReader.read(Data(xlsx.bodyBytes)).map(\.cells)
        take(try #require(sheet.first { $0.contains(member.name) }).joined(separator: ","), "xlsx")
        let items = try #require((try JSONSerialization.jsonObject(with: Data(apiList.body.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
        let item = try #require(items.first { ($0["id"] as? Int64 ?? Int64($0["id"] as? Int ?? 0)) == memberID })
        take(String(data: try JSONSerialization.data(withJSONObject: item), encoding: .utf8) ?? "", "api list")
        take(apiOne.body, "api one")
        #expect(!apiOne.body.contains(member.birthDate.description), "the API gives the birth month, not the day")

        let worst = Self.candidates(seen, gender: member.gender, knownArea: String(trueID.prefix(6)), trueID: trueID)
        #expect(worst.containsTruth, "the count is of numbers that agree with what was shown, the true one among them")
        #expect(worst.count > 1000, "candidates with the county known: \(worst.count) (\(seen.map(\.masked)), \(seen.compactMap(\.birth)))")

        // The detail page, to someone who may reveal the number (an audited action) anyway, carries the day of birth;
        // the mask still leaves the county unknown: more than 1,000 candidates unless the county is known.
        let facts = detail.body.matches(of: /[0-9]{4}[0-9*]{13}[0-9Xx*]/).map { String($0.output) }
        #expect(facts.allSatisfy { $0.hasSuffix("**************") }, "\(facts)")
        let detailSeen = facts.map { Seen(masked: $0, birth: Self.birthTokens(in: detail.body, birth: member.birthDate).first) }
        let detailCount = Self.candidates(detailSeen, gender: member.gender, knownArea: nil, trueID: trueID)
        #expect(detailCount.containsTruth && detailCount.count > 1000, "detail page: \(detailCount.count)")

        // The old mask beside the day of birth gave the number back: the counter finds that (it can fail).
        let old = Seen(masked: String(trueID.prefix(4)) + "**********" + String(trueID.suffix(4)), birth: member.birthDate.description)
        #expect(Self.candidates([old], gender: member.gender, knownArea: String(trueID.prefix(6)), trueID: trueID).count == 1)
        await harness.close()
    }
}
