public import Foundation

/// A member as lists and detail pages see it: everything but the sensitive fields, which appear only masked.
/// The full values are read through the audited reveal action.
public struct MemberRecord: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
    public var gender: Gender
    public var birthDate: CivilDate
    public var idNumberMasked: String
    public var ethnicity: String?
    public var nativePlace: String?
    public var education: Education?
    public var personnelCategory: PersonnelCategory
    public var partyStatus: PartyStatus
    public var membershipState: MembershipState
    public var joinDate: CivilDate
    public var fullMemberDate: CivilDate?
    public var workUnit: String?
    public var post: String?
    public var phoneMasked: String?
    public var hasAddress: Bool
    public var isFloating: Bool
    public var floatingDestination: String?
    public var lostContactReason: LostContactReason?
    public var lostContactSince: CivilDate?
    public var version: Int64

    public init(
        id: Int64, organisationID: Int64, name: String, gender: Gender, birthDate: CivilDate, idNumberMasked: String,
        ethnicity: String?, nativePlace: String?, education: Education?, personnelCategory: PersonnelCategory,
        partyStatus: PartyStatus, membershipState: MembershipState, joinDate: CivilDate, fullMemberDate: CivilDate?,
        workUnit: String?, post: String?, phoneMasked: String?, hasAddress: Bool, isFloating: Bool,
        floatingDestination: String?, lostContactReason: LostContactReason?, lostContactSince: CivilDate?, version: Int64
    ) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.gender = gender
        self.birthDate = birthDate
        self.idNumberMasked = idNumberMasked
        self.ethnicity = ethnicity
        self.nativePlace = nativePlace
        self.education = education
        self.personnelCategory = personnelCategory
        self.partyStatus = partyStatus
        self.membershipState = membershipState
        self.joinDate = joinDate
        self.fullMemberDate = fullMemberDate
        self.workUnit = workUnit
        self.post = post
        self.phoneMasked = phoneMasked
        self.hasAddress = hasAddress
        self.isFloating = isFloating
        self.floatingDestination = floatingDestination
        self.lostContactReason = lostContactReason
        self.lostContactSince = lostContactSince
        self.version = version
    }

    /// Age on `date`.
    public func age(on date: CivilDate) -> Int { birthDate.years(until: date) }

    /// 党龄 on `date` from the full-member date (DEV-32); nil while probationary.
    public func partyStanding(on date: CivilDate) -> Int? { fullMemberDate.map { $0.years(until: date) } }

    /// CARE-01 eligibility in `year`.
    public func medalEligible(in year: Int, rules: RuleBook = .national2014) -> Bool {
        guard membershipState != .deceased && membershipState != .left, let full = fullMemberDate else { return false }
        guard let julyFirst = CivilDate(year: year, month: 7, day: 1) else { return false }
        return full.adding(years: rules.medalYears) <= julyFirst
    }

    /// A draft pre-filled for the edit form; sensitive fields stay empty, meaning "unchanged".
    public var editDraft: MemberDraft {
        var d = MemberDraft()
        d.name = name
        d.gender = gender.displayName
        d.birthDate = birthDate.description
        d.ethnicity = ethnicity ?? ""
        d.nativePlace = nativePlace ?? ""
        d.education = education?.displayName ?? ""
        d.personnelCategory = personnelCategory.displayName
        d.partyStatus = partyStatus.displayName
        d.membershipState = membershipState.displayName
        d.joinDate = joinDate.description
        d.fullMemberDate = fullMemberDate?.description ?? ""
        d.workUnit = workUnit ?? ""
        d.post = post ?? ""
        d.isFloating = isFloating ? "是" : ""
        d.floatingDestination = floatingDestination ?? ""
        d.lostContactReason = lostContactReason?.rawValue ?? ""
        d.lostContactSince = lostContactSince?.description ?? ""
        return d
    }
}

/// Filters, search and paging for the member list (查询党员).
public struct MemberQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case name, joinDate = "join_date", birthDate = "birth_date", organisation
    }

    public var anchorID: Int64
    public var scope: OrganisationScope
    public var nameContains: String?
    /// Exact lookup by blind index (the caller passes a parsed number; never sent in a URL).
    public var idNumber: IDNumber?
    public var phone: String?
    public var partyStatus: PartyStatus?
    public var personnelCategory: PersonnelCategory?
    public var education: Education?
    public var gender: Gender?
    public var membershipState: MembershipState?
    public var floatingOnly: Bool
    public var minAge: Age?
    public var maxAge: Age?
    public var minStanding: PartyStanding?
    public var maxStanding: PartyStanding?
    public var includeOffRoster: Bool
    public var sort: Sort
    public var descending: Bool
    public var limit: Int
    public var offset: Int

    public init(anchorID: Int64, scope: OrganisationScope = .subtree) {
        self.anchorID = anchorID
        self.scope = scope
        floatingOnly = false
        includeOffRoster = false
        sort = .name
        descending = false
        limit = 50
        offset = 0
    }
}
