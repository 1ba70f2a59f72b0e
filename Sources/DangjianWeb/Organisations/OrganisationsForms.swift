import Foundation
import DangjianDomain

// The forms of 组织机构 (slug `organisations`): organisations and their changes (ORG-xx), terms and elections
// (ORG-T/E), each parsed from the posted fields by `FormReader`. The rules are the Domain's and the Store's.

/// The fields every change of an organisation carries: its version (optimistic locking) and the optional 生效日期.
struct OrganisationChangeForm {
    /// -1 when not posted (the Store then refuses the stale edit).
    var version: Int64
    /// Nil means today.
    var effectiveDate: CivilDate?
    var name: String
    var shortName: String
    /// The new parent (move) or the organisation merged into (merge); 0 when not given.
    var parentID: Int64
    var targetID: Int64
    var type: OrganisationType?
    var approval: String
    var reason: String

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        version = reader.id("version") ?? -1
        let text = reader.text("effective_date")
        effectiveDate = CivilDate.parseLenient(text)
        if !text.isEmpty, effectiveDate == nil {
            reader.problem("effective_date", "生效日期“\(String(text.prefix(40)))”无法识别，请写成 2020-01-01")
        }
        name = reader.text("name")
        shortName = reader.text("short_name")
        parentID = reader.id("parent_id") ?? 0
        targetID = reader.id("target_id") ?? 0
        type = reader.choice("org_type", OrganisationType.self)
        approval = reader.text("approval")
        reason = reader.text("reason")
        try reader.finish()
    }
}

/// POST /orgs/{id}/elections and /by-elections: an election's figures, the candidates' votes ("张三 45" per line),
/// the posts ("张三 书记" per line) and, for a by-election, who left ("张三" per line) and why (ORG-E1…E9).
struct ElectionForm {
    var heldOn: CivilDate
    var seats: Int
    var eligible: Int
    var present: Int
    var candidates: [ElectionCheck.Candidate]
    var posts: [(name: String, post: LeaderPost)]
    var vacated: [String]
    var reason: String

    /// - Parameter dateLabel: "选举日期" or "补选日期"; `dateRule` the rule an empty date cites.
    init(_ form: FormData, dateLabel: String = "选举日期", dateRule: RuleID? = nil) throws(ValidationFailure) {
        var reader = FormReader(form)
        let held = CivilDate.parseLenient(reader.text("held_on"))
        if held == nil {
            throw ValidationFailure(field: "held_on", message: "请填写\(dateLabel)", ruleID: dateRule?.code)
        }
        seats = reader.number("seats", Quantity.self)?.value ?? 0
        eligible = reader.number("eligible", Quantity.self)?.value ?? 0
        present = reader.number("present", Quantity.self)?.value ?? 0
        try reader.finish()
        heldOn = held ?? .earliest
        candidates = try Self.candidates(reader.text("candidates"))
        posts = try Self.posts(reader.text("posts"))
        vacated = Self.lines(reader.text("vacated")).flatMap { $0 }
        reason = reader.text("reason")
    }

    /// "张三 45" per line (space, comma or colon between name and votes).
    static func candidates(_ text: String) throws(ValidationFailure) -> [ElectionCheck.Candidate] {
        var result: [ElectionCheck.Candidate] = []
        for parts in lines(text) {
            guard parts.count == 2, let votes = try? Quantity.parse(parts[1], field: "candidates") else {
                throw ValidationFailure(field: "candidates", message: "候选人每行写“姓名 得票数”，如“张三 45”（票数 0–\(Quantity.bounds.upperBound)）")
            }
            result.append(ElectionCheck.Candidate(name: parts[0], votes: votes.value))
        }
        return result
    }

    /// "张三 书记" per line.
    static func posts(_ text: String) throws(ValidationFailure) -> [(name: String, post: LeaderPost)] {
        var result: [(name: String, post: LeaderPost)] = []
        for parts in lines(text) {
            guard parts.count == 2, let post = LeaderPost(rawValue: parts[1]) else {
                throw ValidationFailure(field: "posts", message: "分工每行写“姓名 职务”，职务为：\(LeaderPost.allCases.map(\.rawValue).joined(separator: "、"))")
            }
            result.append((parts[0], post))
        }
        return result
    }

    static func lines(_ text: String) -> [[String]] {
        text.split(whereSeparator: \.isNewline).map { line in
            line.precomposedStringWithCompatibilityMapping
                .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0 == ":" || $0 == "：" || $0 == "\t" || $0 == "、" })
                .map(String.init)
        }.filter { !$0.isEmpty }
    }
}

/// POST /orgs/{id}/postpone: the higher committee's approval of a later election (ORG-T2).
struct PostponementForm {
    var until: CivilDate
    var approval: String

    init(_ form: FormData) throws(ValidationFailure) {
        let reader = FormReader(form)
        guard let until = CivilDate.parseLenient(reader.text("until")) else {
            throw ValidationFailure(field: "until", message: "请填写延期截止日期")
        }
        self.until = until
        approval = reader.text("approval")
    }
}

/// POST /orgs/{id}/units and /units/{id}: a unit (单位) registered under an organisation.
struct UnitForm {
    var name: String
    var category: String
    var assessmentCategory: String
    var organisationID: Int64
    var version: Int64

    init(_ form: FormData) {
        let reader = FormReader(form)
        name = reader.text("name")
        category = reader.text("category")
        assessmentCategory = reader.text("assessment_category")
        organisationID = reader.id("organisation_id") ?? 0
        version = reader.id("version") ?? -1
    }
}
