import Testing
import Foundation
@testable import DangjianDomain

@Suite("Resident ID numbers (GB 11643-1999)")
struct IDNumberTests {
    @Test(
        "the published test vectors are valid and decode birth date and gender",
        arguments: [
            ("11010519491231002X", "1949-12-31", Gender.female),
            ("440524188001010014", "1880-01-01", Gender.male),
            ("11010519491231002x", "1949-12-31", Gender.female),
            ("１１０１０５１９４９１２３１００２Ｘ", "1949-12-31", Gender.female),
            (" 1101 0519 4912 3100 2X ", "1949-12-31", Gender.female),
        ])
    func valid(_ raw: String, _ birth: String, _ gender: Gender) throws {
        let id = try IDNumber.parse(raw).get()
        #expect(id.value == "11010519491231002X" || id.value == "440524188001010014")
        #expect(id.birthDate.description == birth)
        #expect(id.gender == gender)
        #expect(id.masked.count == 18 && id.masked.contains("**********"))
    }

    @Test(
        "bad numbers are refused with the reason",
        arguments: [
            ("110105194912310021", "校验位"),
            ("11010519491231002", "18 位"),
            ("1101051949123100211", "18 位"),
            ("11010519490231002X", "校验位"),  // 2 月 31 日 — also wrong check digit; see next case for the date check
            ("1101051949A231002X", "数字"),
        ])
    func invalid(_ raw: String, _ reason: String) {
        guard case .failure(let problem) = IDNumber.parse(raw) else { Issue.record("\(raw) accepted"); return }
        #expect(problem.message.contains(reason), "\(raw): \(problem.message)")
    }

    @Test("an impossible or future birth date is refused even with a correct check character")
    func impossibleDates() throws {
        let feb30 = "11010519490230002"
        let id = feb30 + String(try #require(IDNumber.checkCharacter(for: feb30)))
        guard case .failure(.impossibleBirthDate) = IDNumber.parse(id) else { Issue.record("2 月 30 日 accepted"); return }
        let future = "11010520991231002"
        let f = future + String(try #require(IDNumber.checkCharacter(for: future)))
        guard case .failure(.futureBirthDate) = IDNumber.parse(f) else { Issue.record("future birth accepted"); return }
    }

    @Test("15-digit numbers are upgraded with 19 and a computed check character")
    func upgrade() throws {
        let id = try IDNumber.parse("110105491231002").get()
        #expect(id.value == "11010519491231002X")
        // The sample in hunny/learnj is wrong: 31010819840330008 → X, not 3 (rules.md §6.1).
        #expect(IDNumber.checkCharacter(for: "31010819840330008") == "X")
    }

    @Test("property: every 17-digit body with its check character parses; any other last character does not")
    func checkProperty() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let y = Int.random(in: 1930...2005, using: &rng), m = Int.random(in: 1...12, using: &rng), d = Int.random(in: 1...28, using: &rng)
            let body = "110105" + String(format: "%04d%02d%02d", y, m, d) + String(format: "%03d", Int.random(in: 0...999, using: &rng))
            let check = IDNumber.checkCharacter(for: body)!
            #expect((try? IDNumber.parse(body + String(check)).get()) != nil)
            let wrong = "0123456789X".first { $0 != check }!
            #expect((try? IDNumber.parse(body + String(wrong)).get()) == nil)
        }
    }
}

@Suite("Civil dates as offices type them")
struct CivilDateTests {
    @Test(
        "lenient parsing",
        arguments: [
            ("2019-07-01", "2019-07-01"), ("2019-7-1", "2019-07-01"), ("2019.07.01", "2019-07-01"), ("2019/7/1", "2019-07-01"),
            ("2019年7月1日", "2019-07-01"), ("20190701", "2019-07-01"), ("２０１９年７月１日", "2019-07-01"), (" 2019-07-01 ", "2019-07-01"),
            ("43647", "2019-07-01"), ("43647.0", "2019-07-01"), ("61", "1900-03-01"), ("59", "1900-02-28"),
        ])
    func parses(_ text: String, _ expected: String) {
        #expect(CivilDate.parseLenient(text)?.description == expected, "\(text)")
    }

    @Test("nonsense is refused", arguments: ["2019-02-30", "2019-13-01", "七月一日", "2019", "abc", "", "2019-07"])
    func refuses(_ text: String) {
        #expect(CivilDate.parseLenient(text) == nil, "\(text)")
    }

    @Test("Excel serials round-trip")
    func serialRoundTrip() throws {
        for serial in [1, 59, 61, 25569, 43647, 45000, 60000] {
            let date = try #require(CivilDate.fromExcelSerial(serial))
            #expect(date.excelSerial == serial, "\(serial) → \(date)")
        }
    }

    @Test("whole years need the anniversary; 29 February falls back to 28 February")
    func years() throws {
        let leap = try #require(CivilDate(year: 2000, month: 2, day: 29))
        #expect(leap.adding(years: 1).description == "2001-02-28")
        #expect(leap.years(until: CivilDate(year: 2018, month: 2, day: 28)!) == 17)
        #expect(leap.years(until: CivilDate(year: 2018, month: 3, day: 1)!) == 18)
    }
}

@Suite("Member profile rules")
struct MemberProfileTests {
    static let today = CivilDate(year: 2026, month: 11, day: 22)!

    static func draft() -> MemberDraft {
        var d = MemberDraft()
        d.name = "王建国"
        d.idNumber = "11010519491231002X"
        d.gender = "女"
        d.ethnicity = "汉"
        d.education = "本科"
        d.personnelCategory = "离退休"
        d.partyStatus = "正式党员"
        d.joinDate = "1975-07-01"
        d.fullMemberDate = "1976.7.1"
        d.phone = "138 1234 5678"
        return d
    }

    @Test("a good draft becomes a profile with derived fields")
    func valid() throws {
        let profile = try Self.draft().validate(today: Self.today).get()
        #expect(profile.birthDate.description == "1949-12-31" && profile.gender == .female)
        #expect(profile.ethnicity == "汉族" && profile.education == .bachelor && profile.personnelCategory == .retired)
        #expect(profile.phone == "13812345678")
        #expect(profile.partyStanding(on: Self.today) == 50)
    }

    @Test("DEV-01: admitted before 18 is refused; the day of the 18th birthday is fine")
    func dev01() {
        var d = Self.draft()
        d.joinDate = "1967-12-30"; d.fullMemberDate = "1968-12-30"
        guard case .failure(let e) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        #expect(e.problems.contains { $0.ruleID == "DEV-01" && $0.field == "join_date" })
        d.joinDate = "1967-12-31"; d.fullMemberDate = "1968-12-31"
        #expect((try? d.validate(today: Self.today).get()) != nil)
    }

    @Test("DEV-27: conversion no earlier than one year after admission; DEV-32: full members need the date")
    func dev27and32() {
        var d = Self.draft()
        d.fullMemberDate = "1976-06-30"
        guard case .failure(let e) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        #expect(e.problems.contains { $0.ruleID == "DEV-27" })
        d.fullMemberDate = "1976-07-01"
        #expect((try? d.validate(today: Self.today).get()) != nil)
        d.fullMemberDate = ""
        guard case .failure(let e2) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        #expect(e2.problems.contains { $0.ruleID == "DEV-32" })
        d.partyStatus = "预备党员"; d.fullMemberDate = "1976-07-01"
        guard case .failure(let e3) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        #expect(e3.problems.contains { $0.ruleID == "DEV-27" && $0.field == "full_member_date" })
    }

    @Test("the ID number is cross-checked against typed gender and birth date")
    func crossCheck() {
        var d = Self.draft()
        d.gender = "男"
        d.birthDate = "1949-12-30"
        guard case .failure(let e) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        #expect(Set(e.problems.map(\.field)) == ["gender", "birth_date"])
    }

    @Test("all problems are reported at once, each with its field")
    func allAtOnce() {
        var d = MemberDraft()
        d.phone = "12345"
        d.isFloating = "是"
        d.membershipState = "失联"
        guard case .failure(let e) = d.validate(today: Self.today) else { Issue.record("accepted"); return }
        let fields = Set(e.problems.map(\.field))
        #expect(
            fields.isSuperset(of: [
                "name", "id_number", "party_status", "join_date", "phone", "floating_destination", "lost_contact_reason", "lost_contact_since",
            ]))
        #expect(e.problems.contains { $0.ruleID == "MEM-07" } && e.problems.contains { $0.ruleID == "MEM-03" })
    }

    @Test("CARE-01: the medal year is the one whose 1 July completes 50 years of standing")
    func care01() throws {
        var p = try Self.draft().validate(today: Self.today).get()
        p.fullMemberDate = CivilDate(year: 1976, month: 7, day: 1)
        #expect(p.medalEligible(in: 2026))
        p.fullMemberDate = CivilDate(year: 1976, month: 7, day: 2)
        #expect(!p.medalEligible(in: 2026) && p.medalEligible(in: 2027))
        p.membershipState = .deceased
        #expect(!p.medalEligible(in: 2027))
    }

    @Test("CARE-04: the political birthday follows the configured anchor")
    func care04() throws {
        let p = try Self.draft().validate(today: Self.today).get()
        #expect(p.politicalBirthday(in: 2026)?.description == "2026-07-01")
        var rules = RuleBook.national2014
        rules.politicalBirthdayAnchor = .conversion
        #expect(p.politicalBirthday(in: 2026, rules: rules)?.description == "2026-07-01")
        var late = p
        late.fullMemberDate = CivilDate(year: 1976, month: 8, day: 15)
        #expect(late.politicalBirthday(in: 2026, rules: rules)?.description == "2026-08-15")
        #expect(late.politicalBirthday(in: 2026)?.description == "2026-07-01")
    }
}

@Suite("Organisation setup rules (ORG-01…07, LIFE-12)")
struct OrganisationSetupTests {
    func ids(_ type: OrganisationType, _ total: Int, _ full: Int) -> Set<String> {
        Set(OrganisationSetupCheck.warnings(type: type, total: total, full: full).map(\.ruleID))
    }

    @Test("branch thresholds at their boundaries")
    func branch() {
        #expect(ids(.branch, 3, 2) == ["ORG-01", "ORG-07"])
        #expect(ids(.branch, 3, 3) == ["ORG-07"])
        #expect(ids(.branch, 7, 6) == ["ORG-07"])
        #expect(ids(.branch, 7, 7) == ["ORG-06"])
        #expect(ids(.branch, 50, 45) == ["ORG-06", "ORG-04"])
        #expect(ids(.branch, 51, 45) == ["ORG-06", "ORG-03", "ORG-04"])
        #expect(ids(.branch, 100, 90) == ["ORG-06", "ORG-03", "ORG-05"])
        #expect(ids(.branch, 0, 0).isEmpty)
        #expect(ids(.generalBranch, 99, 90).isEmpty && ids(.generalBranch, 100, 90) == ["ORG-05"])
        #expect(ids(.temporaryBranch, 0, 0) == ["LIFE-12"])
    }

    func ids(_ type: OrganisationType, full: Int, committee: Int?, units: Int = 0, rules: RuleBook = .national2014) -> Set<String> {
        Set(OrganisationSetupCheck.warnings(type: type, total: full, full: full, committee: committee, units: units, rules: rules).map(\.ruleID))
    }

    @Test("ORG-06/07 against the recorded committee: sizes 3…7 at 7+ full members, at most secretary and deputy below")
    func committeeSize() {
        #expect(ids(.branch, full: 9, committee: 2) == ["ORG-06"])
        #expect(ids(.branch, full: 9, committee: 3) == [])
        #expect(ids(.branch, full: 20, committee: 7) == [])
        #expect(ids(.branch, full: 20, committee: 8) == ["ORG-06"])
        #expect(ids(.branch, full: 6, committee: 2) == [])
        #expect(ids(.branch, full: 6, committee: 3) == ["ORG-07", "ORG-09"])
        #expect(ids(.branch, full: 6, committee: nil) == ["ORG-07"])
    }

    @Test("ORG-09 (UNCONFIRMED): a committee of half the full members or more warns; the check can be switched off")
    func committeeHalf() {
        #expect(ids(.branch, full: 10, committee: 5) == ["ORG-09"])
        #expect(ids(.branch, full: 11, committee: 5) == [])
        #expect(ids(.branch, full: 8, committee: 4) == ["ORG-09"])
        var local = RuleBook.national2014
        local.committeeHalfRuleWarns = false
        #expect(ids(.branch, full: 10, committee: 5, rules: local) == [])
        let message = OrganisationSetupCheck.warnings(type: .branch, total: 10, full: 10, committee: 5).first?.fullMessage ?? ""
        #expect(message.contains("ORG-09") && message.contains("5 人"))
    }

    @Test("ORG-02: a joint branch covers at most 5 units by default, configurable")
    func jointBranchUnits() {
        #expect(ids(.jointBranch, full: 6, committee: 1, units: 5) == [])
        #expect(ids(.jointBranch, full: 6, committee: 1, units: 6) == ["ORG-02"])
        #expect(ids(.branch, full: 6, committee: 1, units: 6) == [])
        var local = RuleBook.national2014
        local.jointBranchMaximumUnits = 6
        #expect(ids(.jointBranch, full: 6, committee: 1, units: 6, rules: local) == [])
    }
}

@Suite("Rule book as versioned configuration")
struct RuleBookTests {
    @Test("a stored version without newer parameters decodes over the national defaults")
    func decodesOverDefaults() throws {
        let old = #"{"version":"某县-2025","effectiveFrom":"2025-01-01","minimumAge":18,"lostContactMonths":12}"#
        let book = try JSONDecoder().decode(RuleBook.self, from: Data(old.utf8))
        #expect(book.version == "某县-2025" && book.lostContactMonths == 12 && book.effectiveFrom.description == "2025-01-01")
        #expect(book.committeeMaximumSize == 7 && book.assessmentCategories == RuleBook.national2014.assessmentCategories)
        let round = try JSONDecoder().decode(RuleBook.self, from: JSONEncoder().encode(book))
        #expect(round == book)
    }

    @Test("problems name the parameter and the rule")
    func problems() {
        #expect(RuleBook.national2014.problems().isEmpty)
        var bad = RuleBook.national2014
        bad.minimumAge = 12
        bad.committeeMinimumSize = 9
        bad.assessmentCategories = ["党群政务", "党群政务"]
        let fields = bad.problems().map { "\($0.field) \($0.ruleID ?? "")" }
        #expect(fields == ["minimum_age DEV-01", "committee_maximum_size ORG-06", "assessment_categories RULES"])
    }
}

@Suite("Units (单位)")
struct UnitTests {
    @Test("category by code or Chinese name; assessment category must be one configured")
    func validate() {
        guard case .success(let ok) = WorkUnit.validate(name: " 某县财政局 ", category: "机关", assessmentCategory: "经济发展", rules: .national2014) else {
            Issue.record("valid unit refused"); return
        }
        #expect(ok.0 == "某县财政局" && ok.1 == .organ && ok.2 == "经济发展")
        guard case .failure(let errors) = WorkUnit.validate(name: "", category: "工厂", assessmentCategory: "其他", rules: .national2014) else {
            Issue.record("invalid unit accepted"); return
        }
        #expect(errors.problems.map(\.field) == ["name", "category", "assessment_category"])
        #expect(UnitCategory.village.isVillageOrCommunity && !UnitCategory.organ.isVillageOrCommunity)
    }
}

@Suite("Terms and elections (ORG-T1…T4, ORG-E3/E4/E7)")
struct TermAndElectionTests {
    let end = CivilDate(year: 2026, month: 12, day: 31)!

    @Test("ORG-T1 term lengths")
    func lengths() {
        #expect(TermRules.termYears(for: .partyCommittee) == 5 && TermRules.termYears(for: .organCommittee) == 5)
        #expect(TermRules.termYears(for: .generalBranch) == 3 && TermRules.termYears(for: .branch) == 3)
        #expect(TermRules.termYears(for: .branch, villageOrCommunity: true) == 5)
        #expect(TermRules.termYears(for: .temporaryBranch) == 0)
    }

    @Test("ORG-T3/T4/T2 status at the boundary days")
    func status() {
        func s(_ y: Int, _ m: Int, _ d: Int, postponed: CivilDate? = nil) -> TermStatus {
            TermStatus.evaluate(end: end, postponedUntil: postponed, today: CivilDate(year: y, month: m, day: d)!)
        }
        #expect(s(2026, 6, 30) == .current(endsOn: end))
        #expect(s(2026, 7, 1) == .dueSoon(endsOn: end, daysLeft: 183))
        #expect(s(2026, 12, 31) == .dueSoon(endsOn: end, daysLeft: 0))
        #expect(s(2027, 1, 1) == .overdue(endedOn: end, daysOver: 1))
        let until = CivilDate(year: 2027, month: 12, day: 31)!
        #expect(s(2027, 12, 31, postponed: until) == .postponed(until: until))
        #expect(s(2028, 1, 1, postponed: until) == .overdue(endedOn: end, daysOver: 366))
        let tooLong = CivilDate(year: 2028, month: 1, day: 1)!
        #expect(s(2027, 6, 1, postponed: tooLong).ruleID == "ORG-T4")
    }

    @Test("ORG-E3 quorum is strictly more than four fifths")
    func quorum() {
        #expect(!ElectionCheck.quorumMet(eligible: 10, present: 8))
        #expect(ElectionCheck.quorumMet(eligible: 10, present: 9))
        #expect(ElectionCheck.quorumMet(eligible: 11, present: 9))  // 45 > 44
        #expect(!ElectionCheck.quorumMet(eligible: 15, present: 12))
    }

    @Test("ORG-E4 candidates at least 20 % more, rounded up", arguments: [(1, 2), (3, 4), (5, 6), (7, 9), (10, 12), (11, 14)])
    func candidates(_ seats: Int, _ minimum: Int) {
        #expect(ElectionCheck.minimumCandidates(seats: seats) == minimum)
    }

    @Test("ORG-E7 more than half of those present; exactly half is not enough; ties at the last seat need a further vote")
    func winners() {
        let c = { (pairs: [(String, Int)]) in pairs.map { ElectionCheck.Candidate(name: $0.0, votes: $0.1) } }
        let r1 = ElectionCheck.check(
            seats: 3, eligible: 20, present: 18, candidates: c([("甲", 15), ("乙", 10), ("丙", 9), ("丁", 8)]), competitive: true)
        #expect(r1.valid && r1.elected == ["甲", "乙"] && r1.unfilledSeats == 1)
        let r2 = ElectionCheck.check(
            seats: 3, eligible: 20, present: 18, candidates: c([("甲", 15), ("乙", 14), ("丙", 12), ("丁", 12)]), competitive: true)
        #expect(r2.valid && r2.elected == ["甲", "乙"] && r2.tiedForLastSeat == ["丙", "丁"])
        let r3 = ElectionCheck.check(
            seats: 3, eligible: 20, present: 16, candidates: c([("甲", 15), ("乙", 14), ("丙", 12), ("丁", 12)]), competitive: true)
        #expect(!r3.valid && r3.problems.map(\.ruleID) == ["ORG-E3"])
        let r4 = ElectionCheck.check(
            seats: 5, eligible: 20, present: 18, candidates: c([("甲", 15), ("乙", 14), ("丙", 12), ("丁", 12), ("戊", 10)]), competitive: true)
        #expect(!r4.valid && r4.problems.map(\.ruleID) == ["ORG-E4"])
        let single = ElectionCheck.check(seats: 1, eligible: 5, present: 5, candidates: c([("甲", 5)]), competitive: false)
        #expect(single.valid && single.elected == ["甲"])
    }
}

@Suite("Roster import of masked values")
struct RosterImportMaskingTests {
    static let header = ["姓名", "身份证号", "入党日期"]

    @Test("a file of masked rows is one file problem and no rows; a single masked row is that row's problem (issue 17 item 10)")
    func masked() {
        let maskedFile = RosterImport.analyse([
            (1, Self.header), (2, ["张*明", "6101**************", "2001-07-01"]), (3, ["李*", "6101**************", "2002-07-01"]),
        ])
        #expect(maskedFile.rows.isEmpty && maskedFile.fileProblems == [RosterImport.maskedFileMessage])
        let oneMasked = RosterImport.analyse([
            (1, Self.header), (2, ["张三", "110101199001011234", "2001-07-01"]), (3, ["李四", "110101199002021234", "2002-07-01"]),
            (4, ["王*", "1101**************", "2003-07-01"]),
        ])
        #expect(oneMasked.fileProblems.isEmpty && oneMasked.rows.count == 3)
        #expect(oneMasked.rows[2].problems.map(\.message) == ["本行的姓名或身份证号是脱敏后的值（含“*”），请填写完整信息"])
        #expect(oneMasked.rows[0].problems.isEmpty)
    }
}
