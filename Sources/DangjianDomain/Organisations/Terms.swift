/// Terms of office and elections (任期与换届, rules.md §3.2–3.3).
public enum TermRules {
    /// ORG-T1: the usual term in years for an organisation type. Village and community organisations serve 5 years
    /// at every level; others: Party committees 5, general branches and branches 3.
    public static func termYears(for type: OrganisationType, villageOrCommunity: Bool = false) -> Int {
        if villageOrCommunity { return 5 }
        switch type {
        case .partyCommittee, .workingCommittee, .organCommittee: return 5
        case .generalBranch, .branch, .jointBranch: return 3
        case .temporaryBranch, .partyGroup: return 0  // LIFE-12: appointed, no change-of-term elections; groups have no term
        }
    }

    /// ORG-T3: months before the end of a term when the higher organisation reminds the branch.
    public static let reminderMonths = 6
    /// ORG-T2: the longest approved postponement.
    public static let maximumPostponementMonths = 12
}

/// Where a term stands on a given day.
public enum TermStatus: Sendable, Equatable {
    /// More than the reminder period left.
    case current(endsOn: CivilDate)
    /// ORG-T3: ends within the reminder period — prepare the election.
    case dueSoon(endsOn: CivilDate, daysLeft: Int)
    /// ORG-T2: ended, but a postponement was approved and has not run out.
    case postponed(until: CivilDate)
    /// ORG-T4: ended with no (or an expired) approved postponement.
    case overdue(endedOn: CivilDate, daysOver: Int)

    public var ruleID: String {
        switch self {
        case .current: RuleID.orgT1.code
        case .dueSoon: RuleID.orgT3.code
        case .postponed: RuleID.orgT2.code
        case .overdue: RuleID.orgT4.code
        }
    }

    public var message: String {
        switch self {
        case .current(let end): "任期至 \(end)"
        case .dueSoon(let end, let days): "任期将于 \(end) 届满（还有 \(days) 天），请提前准备换届选举"
        case .postponed(let until): "任期已届满，经上级批准延期至 \(until)"
        case .overdue(let end, let days): "任期已于 \(end) 届满 \(days) 天，未经批准延期，应按期换届"
        }
    }

    /// Evaluates a term ending `end`, with an optional approved postponement, on `today`.
    public static func evaluate(end: CivilDate, postponedUntil: CivilDate?, today: CivilDate) -> TermStatus {
        if today <= end {
            let reminder = end.adding(months: -TermRules.reminderMonths)
            return today > reminder ? .dueSoon(endsOn: end, daysLeft: end.days(since: today)) : .current(endsOn: end)
        }
        if let until = postponedUntil, today <= until, until <= end.adding(months: TermRules.maximumPostponementMonths) {
            return .postponed(until: until)
        }
        return .overdue(endedOn: end, daysOver: today.days(since: end))
    }
}

/// Leader posts (班子职务).
public enum LeaderPost: String, CaseIterable, Sendable {
    case secretary = "书记", deputy = "副书记", organisation = "组织委员", propaganda = "宣传委员", discipline = "纪检委员",
        youth = "青年委员", women = "妇女委员", member = "委员"
}

/// Checks an election's figures (选举结果核验): quorum, competitive margin, winners. Every verdict names its rule.
public struct ElectionCheck: Sendable {
    public struct Candidate: Sendable, Equatable {
        public var name: String
        public var votes: Int
        public init(name: String, votes: Int) {
            self.name = name
            self.votes = votes
        }
    }

    public struct Result: Sendable, Equatable {
        public var valid: Bool
        public var problems: [ValidationFailure]
        public var elected: [String]
        /// Candidates tied at the last seat: a further vote among them is needed (ORG-E7).
        public var tiedForLastSeat: [String]
        /// Seats left unfilled because too few passed the threshold (ORG-E7: further vote).
        public var unfilledSeats: Int
    }

    /// ORG-E4: the fewest candidates for `seats` committee seats: at least 20 % more, rounded up (进一法).
    public static func minimumCandidates(seats: Int) -> Int {
        seats + (seats * 20 + 99) / 100
    }

    /// ORG-E3: quorum is more than four fifths of those entitled to vote.
    public static func quorumMet(eligible: Int, present: Int) -> Bool { present * 5 > eligible * 4 }

    /// Checks the figures of one ballot for `seats` seats.
    /// - Parameter competitive: committee elections must be competitive (ORG-E4); the election of a single secretary
    ///   by a branch without a committee need not be.
    public static func check(seats: Int, eligible: Int, present: Int, candidates: [Candidate], competitive: Bool) -> Result {
        var problems: [ValidationFailure] = []
        if seats < 1 { problems.append(ValidationFailure(field: "seats", message: "应选人数至少为 1")) }
        if eligible < 1 || present < 0 || present > eligible {
            problems.append(ValidationFailure(field: "present", message: "实到人数应在 0 到应到人数（\(eligible)）之间"))
        } else if !quorumMet(eligible: eligible, present: present) {
            problems.append(
                ValidationFailure(field: "present", message: "实到有选举权的党员 \(present) 人，未超过应到 \(eligible) 人的五分之四，选举无效", ruleID: RuleID.orgE3.code))
        }
        if competitive && candidates.count < minimumCandidates(seats: seats) {
            problems.append(
                ValidationFailure(
                    field: "candidates",
                    message: "应选 \(seats) 人，候选人至少应为 \(minimumCandidates(seats: seats)) 人（差额不少于 20%，进一法），现为 \(candidates.count) 人",
                    ruleID: RuleID.orgE4.code))
        }
        if candidates.contains(where: { $0.votes < 0 || $0.votes > present }) {
            problems.append(ValidationFailure(field: "candidates", message: "每位候选人的得票数应在 0 到实到人数之间"))
        }
        guard problems.isEmpty else { return Result(valid: false, problems: problems, elected: [], tiedForLastSeat: [], unfilledSeats: seats) }
        // ORG-E7: more than half of the voters present; then by votes, up to the seats.
        let passing = candidates.filter { $0.votes * 2 > present }.sorted { $0.votes > $1.votes }
        var elected: [String] = []
        var tied: [String] = []
        if passing.count <= seats {
            elected = passing.map(\.name)
        } else {
            let cutoff = passing[seats - 1].votes
            let above = passing.filter { $0.votes > cutoff }
            let atCutoff = passing.filter { $0.votes == cutoff }
            if above.count + atCutoff.count <= seats {
                elected = (above + atCutoff).map(\.name)
            } else {
                elected = above.map(\.name)
                tied = atCutoff.map(\.name)
            }
        }
        return Result(valid: true, problems: [], elected: elected, tiedForLastSeat: tied, unfilledSeats: tied.isEmpty ? seats - elected.count : 0)
    }
}

extension ElectionCheck.Result {
    /// ORG-E7/E8: who may take the committee's posts after a regular election — only the elected, with exactly one
    /// secretary; a tie at the last seat needs a further vote first. The first refusal, or nil.
    public func refusal(posts: [(name: String, post: LeaderPost)]) -> ValidationFailure? {
        if let tie = tieRefusal { return tie }
        if let notElected = notElectedRefusal(posts) { return notElected }
        if posts.filter({ $0.post == .secretary }).count != 1 {
            return ValidationFailure(field: "posts", message: "须且只能确定一名书记", ruleID: RuleID.orgE8.code)
        }
        return nil
    }

    /// ORG-E9 with E7/E8: a by-election fills vacated seats of the sitting committee (`sitting`: name and post of
    /// each current leader; `remaining`: those who stay); the elected must not already sit, and afterwards there is
    /// exactly one secretary.
    public func byElectionRefusal(posts: [(name: String, post: LeaderPost)], remaining: [(name: String, post: String)]) -> ValidationFailure? {
        if let tie = tieRefusal { return tie }
        if let notElected = notElectedRefusal(posts) { return notElected }
        for name in elected where remaining.contains(where: { $0.name == name }) {
            return ValidationFailure(field: "posts", message: "“\(name)”已是在任班子成员", ruleID: RuleID.orgE9.code)
        }
        let secretaries = remaining.filter { $0.post == LeaderPost.secretary.rawValue }.count + posts.filter { $0.post == .secretary }.count
        if secretaries != 1 {
            return ValidationFailure(
                field: "posts", message: secretaries == 0 ? "补选后班子中没有书记，须补选或确定一名书记" : "班子中已有书记，补选后只能有一名书记",
                ruleID: RuleID.orgE8.code)
        }
        return nil
    }

    private var tieRefusal: ValidationFailure? {
        guard !tiedForLastSeat.isEmpty else { return nil }
        return ValidationFailure(
            field: "candidates", message: "\(tiedForLastSeat.joined(separator: "、")) 得票相同，应就最后名额另行投票（\(RuleID.orgE7)）",
            ruleID: RuleID.orgE7.code)
    }

    private func notElectedRefusal(_ posts: [(name: String, post: LeaderPost)]) -> ValidationFailure? {
        for (name, _) in posts where !elected.contains(name) {
            return ValidationFailure(field: "posts", message: "“\(name)”未当选（得票须超过实到人数的一半），不能担任班子职务", ruleID: RuleID.orgE7.code)
        }
        return nil
    }
}

extension TermRules {
    /// ORG-E9: a by-election is held inside a recorded term (`term`: its start and its end, postponed or not); the
    /// vacated seats are sitting leaders', and a reason is given. Every problem, or none.
    public static func byElectionProblems(
        heldOn: CivilDate, term: (start: CivilDate, end: CivilDate)?, sitting: [String], vacated: [String], reason: String
    ) -> [ValidationFailure] {
        guard let term else {
            return [ValidationFailure(field: "held_on", message: "该组织尚未录入任期，应先录入换届选举结果再补选", ruleID: RuleID.orgE9.code)]
        }
        guard heldOn >= term.start, heldOn <= term.end else {
            return [
                ValidationFailure(field: "held_on", message: "补选日期应在本届任期内（\(term.start) 至 \(term.end)）；任期已满的应换届", ruleID: RuleID.orgE9.code)
            ]
        }
        var problems: [ValidationFailure] = []
        for name in vacated where !sitting.contains(name) {
            problems.append(ValidationFailure(field: "vacated", message: "“\(name)”不是本届在任班子成员", ruleID: RuleID.orgE9.code))
        }
        if !vacated.isEmpty && reason.isEmpty {
            problems.append(ValidationFailure(field: "reason", message: "请填写离任原因（如调离、退休、免职）", ruleID: RuleID.orgE9.code))
        }
        return problems
    }
}

extension CivilDate {
    /// Whole days from `other` to `self` (negative when `self` is earlier).
    public func days(since other: CivilDate) -> Int { dayNumber - other.dayNumber }

    /// The day `days` after this one (negative: before); saturates at 0001-01-01 and 9999-12-31, never traps.
    public func adding(days: Int) -> CivilDate {
        let (z, overflow) = dayNumber.addingReportingOverflow(days)
        return CivilDate(dayNumber: overflow ? (days < 0 ? Int.min : Int.max) : z)
    }

    /// The inverse of `dayNumber`, clamped to 0001-01-01 … 9999-12-31.
    init(dayNumber unclamped: Int) {
        let z = min(max(unclamped, CivilDate.earliest.dayNumber), CivilDate.latest.dayNumber)
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self = CivilDate(checkedYear: y, month: m, day: d)
    }

    /// Days since 0000-03-01 (civil-from-days arithmetic; no time zones involved).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe
    }
}
