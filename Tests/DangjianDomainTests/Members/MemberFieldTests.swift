import Testing
@testable import DangjianDomain

/// The member field table (issue 16, item 4): one row per field, read by the form, the import, the API and the audit.
@Suite("Member field table")
struct MemberFieldTests {
    @Test("keys are the snake_case names forms and the API use, unique, and found again by key")
    func keys() {
        #expect(MemberField.nativePlace.key == "native_place" && MemberField.organisation.key == "organisation_id")
        #expect(MemberField.lostContactSince.key == "lost_contact_since" && MemberField.name.key == "name")
        #expect(Set(MemberField.allCases.map(\.key)).count == MemberField.allCases.count)
        for field in MemberField.allCases {
            #expect(MemberField(key: field.key) == field)
            #expect(field.synonyms.first == field.title, "\(field): the title is the first header")
        }
        #expect(MemberField(key: "nativePlace") == nil)
        // Every text field of a draft is in the table, once: writing each through its key path fills a distinct field.
        var draft = MemberDraft()
        for (i, field) in MemberField.allCases.enumerated() { if let path = field.draft { draft[keyPath: path] = "v\(i)" } }
        let written = MemberField.allCases.compactMap { $0.draft.map { draft[keyPath: $0] } }
        #expect(Set(written).count == written.count && written.count == MemberField.allCases.count - 1)
    }

    @Test("the audit's changes: every changed field once, personal values masked, an ID number changed under its mask still told")
    func changes() throws {
        var draft = MemberDraft()
        draft.name = "王五"
        draft.idNumber = "11010519491231002X"
        draft.personnelCategory = "在职"
        draft.partyStatus = "正式党员"
        draft.membershipState = "正常"
        draft.joinDate = "1975-01-01"
        draft.fullMemberDate = "1976-01-01"
        draft.phone = "13912345678"
        draft.address = "某街 1 号"
        let today = CivilDate(year: 2026, month: 12, day: 7)!
        let old = try draft.validate(today: today).get()
        let created = MemberProfile.changes(from: nil, to: old)
        #expect(created.first { $0.field == "phone" }?.new == Masking.phone("13912345678"))
        #expect(created.first { $0.field == "address" }?.new == "******")
        #expect(created.first { $0.field == "id_number" }?.new == old.idNumber.masked)
        var edited = draft
        edited.post = "科员"
        edited.address = "某街 2 号"
        let new = try edited.validate(today: today).get()
        let changes = MemberProfile.changes(from: old, to: new)
        #expect(changes.map(\.field) == ["post", "address"])
        #expect(changes[1].old == "******" && changes[1].new == "******")
        #expect(MemberProfile.changes(from: old, to: old).isEmpty)
    }
}
