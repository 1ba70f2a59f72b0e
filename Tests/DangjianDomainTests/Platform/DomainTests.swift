import Testing
import Foundation
@testable import DangjianDomain

@Suite("Materialised paths and scopes")
struct MaterialisedPathTests {
    @Test("a path's prefix range holds exactly its subtree")
    func prefixRange() throws {
        let path = try #require(MaterialisedPath("/1/17/"))
        #expect(path.upperBound == "/1/170")
        for inside in ["/1/17/", "/1/17/203/", "/1/17/9/99/"] { #expect(inside >= path.value && inside < path.upperBound) }
        for outside in ["/1/170/", "/1/171/", "/1/18/", "/1/", "/2/17/"] {
            #expect(!(outside >= path.value && outside < path.upperBound), "\(outside)")
        }
        #expect(path.ids == [1, 17])
        #expect(path.appending(id: 5).value == "/1/17/5/")
        #expect(path.contains(try #require(MaterialisedPath("/1/17/5/"))))
        #expect(!path.contains(try #require(MaterialisedPath("/1/170/"))))
    }

    @Test("malformed paths are rejected", arguments: ["", "/", "1/2/", "/1/2", "/1//2/", "/a/", "/1/x2/"])
    func malformed(_ text: String) {
        #expect(MaterialisedPath(text) == nil)
    }

    @Test("rebasing moves a descendant's path under the new parent")
    func rebase() throws {
        let old = try #require(MaterialisedPath("/1/2/"))
        let new = try #require(MaterialisedPath("/1/9/2/"))
        #expect(try #require(MaterialisedPath("/1/2/3/4/")).rebased(from: old, to: new)?.value == "/1/9/2/3/4/")
        #expect(try #require(MaterialisedPath("/1/5/")).rebased(from: old, to: new) == nil)
    }

    @Test("reaches cover 本级, 本级及直属下级 and 全部下级 correctly")
    func reaches() throws {
        let anchor = try #require(MaterialisedPath("/1/2/"))
        let child = try #require(MaterialisedPath("/1/2/3/"))
        let grandchild = try #require(MaterialisedPath("/1/2/3/4/"))
        let sibling = try #require(MaterialisedPath("/1/5/"))
        let own = OrganisationReach(organisationID: 2, path: anchor, scope: .own)
        let children = OrganisationReach(organisationID: 2, path: anchor, scope: .ownAndChildren)
        let subtree = OrganisationReach(organisationID: 2, path: anchor, scope: .subtree)
        #expect(own.covers(path: anchor, parentID: 1) && !own.covers(path: child, parentID: 2))
        #expect(children.covers(path: child, parentID: 2) && !children.covers(path: grandchild, parentID: 3))
        #expect(subtree.covers(path: grandchild, parentID: 3) && !subtree.covers(path: sibling, parentID: 1))
    }

    @Test("organisation types nest as the Party's structure allows")
    func nesting() {
        #expect(OrganisationType.partyCommittee.mayContain(.generalBranch))
        #expect(OrganisationType.generalBranch.mayContain(.branch))
        #expect(!OrganisationType.generalBranch.mayContain(.partyCommittee))
        #expect(OrganisationType.branch.mayContain(.partyGroup))
        #expect(!OrganisationType.branch.mayContain(.branch))
        #expect(!OrganisationType.partyGroup.mayContain(.partyGroup))
        #expect(OrganisationType(identifierOrName: "临时党支部") == .temporaryBranch)
        #expect(OrganisationType(identifierOrName: "joint_branch") == .jointBranch)
        #expect(OrganisationType(identifierOrName: "支部") == nil)
    }
}

@Suite("Roles: separation of the three administrators")
struct RoleTests {
    @Test("no administrator role can do another's job or read member data")
    func separation() {
        let sys = Role.systemAdmin.permissions, sec = Role.securityAdmin.permissions, aud = Role.auditAdmin.permissions
        #expect(sys.isDisjoint(with: [.auditRead, .auditExport, .rolesGrant, .policyManage, .membersRead]))
        #expect(sec.isDisjoint(with: [.auditRead, .auditExport, .usersManage, .membersRead]))
        #expect(aud == [.auditRead, .auditExport])
        for role in Role.allCases where role != .auditAdmin { #expect(!role.permissions.contains(.auditRead), "\(role)") }
    }

    @Test("a system-wide role with an organisational permission reaches everywhere; an org role only its anchor")
    func access() throws {
        let path = try #require(MaterialisedPath("/1/4/"))
        let principal = Principal(
            userID: 1, username: "u", displayName: "u",
            assignments: [
                RoleAssignment(id: 1, userID: 1, role: .partyWorker, organisationID: 4, organisationPath: path, scope: .own)
            ])
        let access = principal.access(for: .membersRead)
        #expect(access.reaches == [OrganisationReach(organisationID: 4, path: path, scope: .own)])
        #expect(principal.access(for: .organisationsWrite).isEmpty)
        let sys = Principal(
            userID: 2, username: "s", displayName: "s",
            assignments: [
                RoleAssignment(id: 2, userID: 2, role: .systemAdmin, organisationID: nil, organisationPath: nil, scope: .own)
            ])
        #expect(sys.access(for: .organisationsRead).isUnrestricted)
        #expect(sys.access(for: .membersRead).isEmpty)
    }
}

@Suite("Password policy (security.md §7 decision 6)")
struct PasswordPolicyTests {
    @Test(
        "等保 preset rejects weak passwords with Chinese reasons",
        arguments: [
            ("Ab1!", "至少需要 8 个字符"),
            ("abcdefgh1", "至少 3 类"),
            ("Zhangsan#1", "用户名"),
            ("Nasgnahz#1", "用户名"),
            ("P@ssw0rd", "常见"),
            ("Aa#110105194912", "个人信息"),
        ])
    func rejects(_ password: String, _ expected: String) {
        let problems = PasswordPolicy.mlps.problems(password: password, username: "zhangsan", personalDigits: ["11010519491231002X"])
        #expect(problems.contains { $0.contains(expected) }, "\(password): \(problems)")
    }

    @Test("good passwords pass both presets")
    func accepts() {
        #expect(PasswordPolicy.mlps.problems(password: "Hongqi#2026", username: "zhangsan").isEmpty)
        #expect(PasswordPolicy.asvs.problems(password: "一段很长的中文口令也可以用", username: "zhangsan").isEmpty)
        #expect(!PasswordPolicy.asvs.problems(password: "short", username: "zhangsan").isEmpty)
        #expect(!PasswordPolicy.mlps.problems(password: String(repeating: "Aa1!", count: 17), username: "x").isEmpty)
    }
}

@Suite("Masking of personal information")
struct MaskingTests {
    @Test("ID numbers keep province+city and the last four")
    func idNumbers() {
        #expect(Masking.idNumber("610102199001011234") == "6101**************")  // H5: no tail beside a birth date
        #expect(Masking.birthMonth(CivilDate(year: 1990, month: 1, day: 15)!) == "1990-01")
        #expect(Masking.phone("13812341234") == "138****1234")
        #expect(Masking.name("张小明") == "张*明")
        #expect(Masking.name("张三") == "张*")
    }

    @Test("property: a masked ID number has the same length and hides digits 5–14")
    func maskProperty() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let digits = (0..<17).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined() + ["0", "X"].randomElement(using: &rng)!
            let masked = Masking.idNumber(digits)
            #expect(masked.count == 18)
            #expect(Array(masked)[4..<14].allSatisfy { $0 == "*" })
        }
    }

    @Test("free text is scrubbed of full ID and mobile numbers")
    func scrub() {
        let text = "身份证11010519491231002X，手机13812345678，编号12345，电话010-12345678"
        let scrubbed = Masking.scrubFreeText(text)
        #expect(scrubbed == "身份证1101**************，手机138****5678，编号12345，电话010-12345678")
    }
}

@Suite("Trimming text")
struct TextTrimmingTests {
    @Test(
        "trimmed removes the same white space as Foundation, including full-width and no-break spaces",
        arguments: [
            "", "   ", "党员", " 张三 ", "\t2019.07.01\r\n", "\u{3000}公民身份号码\u{3000}", "\u{00A0}110105\u{00A0}", "a b", "\u{200B}零宽\u{200B}",
            "\u{2003}em\u{2009}", "\n\n", "x\u{85}",
        ])
    func agreesWithFoundation(text: String) {
        #expect(text.trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text[...].trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("nilIfEmpty")
    func nilIfEmpty() {
        #expect("".nilIfEmpty == nil)
        #expect(" a ".trimmed.nilIfEmpty == "a")
        #expect("\u{FEFF}张三\u{200B}".trimmed == "张三")
    }
}

@Suite("Civil dates from stored text")
struct CivilDateParsingTests {
    @Test(
        "the stored form and shorter forms parse; impossible dates and malformed text do not",
        arguments: [
            ("2019-07-01", "2019-07-01"), ("2019-7-1", "2019-07-01"), ("2024-02-29", "2024-02-29"), ("0999-12-31", "0999-12-31"),
            ("2023-02-29", nil), ("2019-13-01", nil), ("2019-00-10", nil), ("2019/07/01", nil), ("2019-07-0x", nil), ("", nil), ("２０１９-07-01", nil),
        ] as [(String, String?)])
    func parse(text: String, expected: String?) {
        #expect(CivilDate(iso: text)?.description == expected)
    }
}

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test(
        "utcTimestamp writes what ISO8601DateFormatter writes",
        arguments: [0, 951_782_400, 1_790_000_000.9, 1_798_761_599, -86_401] as [TimeInterval])
    func agreesWithFormatter(seconds: TimeInterval) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(date.utcTimestamp == ISO8601DateFormatter().string(from: date))
    }
}
