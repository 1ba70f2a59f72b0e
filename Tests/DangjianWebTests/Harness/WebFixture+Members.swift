import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension MembersFeature: FeatureTestKit {
    static func addFixture(to fixture: inout WebFixture, _ setup: FixtureSetup) async throws {
        try await fixture.addMembers(kit: setup.kit, clock: setup.clock, console: setup.console)
        fixture.records[.floatingCertificate] = fixture.floatingCertificate
        fixture.records[.incomingTransfer] = fixture.incomingTransfer
        fixture.records[.outgoingTransfer] = fixture.outgoingTransfer
    }

    /// A floating certificate of a member of each position's organisation (流动党员<key>).
    static func addPositioned(to records: inout PositionedRecords, _ setup: PositionSetup) async throws {
        for (index, key) in setup.keys.enumerated() {
            let sequence = 800 + index
            let traveller = try await setup.store.members.create(
                MemberFixtures.draft(
                    name: "流动党员\(key)", born: "1990-07-01", sequence: 900 + index, phone: "1370000\(String(format: "%04d", sequence))"),
                organisationID: setup.tree[key], access: .maintenance, actor: setup.console
            ).id
            let certificate = try await setup.store.floating.issue(
                memberID: traveller, number: "", issuedOn: setup.today, reason: "外出务工", destination: "广东省深圳市",
                validUntil: setup.today.adding(months: 3), access: .maintenance, actor: setup.console
            ).certificate
            records.add(.floatingCertificate, in: setup.tree[key], certificate.id)
            // 关系转接: a letter out of the system from the organisation, and one into it from the other county.
            let leaving = try await setup.store.members.create(
                MemberFixtures.draft(
                    name: "转出党员\(key)", born: "1991-08-01", sequence: 500 + index, phone: "1360000\(String(format: "%04d", sequence))"),
                organisationID: setup.tree[key], access: .maintenance, actor: setup.console
            ).id
            let outgoing = try await setup.store.transfers.start(
                memberID: leaving, toOrganisationID: nil, toName: "外省某县某支部", validDays: 180, duesPaidUntil: (2026, 10),
                crossProvince: true, access: .maintenance, actor: setup.console)
            records.add(.outgoingTransfer, in: setup.tree[key], outgoing.id)
            let otherCounty = key.hasPrefix("A") ? "B" : "A"
            let arriving = try await setup.store.members.create(
                MemberFixtures.draft(
                    name: "转入党员\(key)", born: "1992-09-01", sequence: 550 + index, phone: "1350000\(String(format: "%04d", sequence))"),
                organisationID: setup.tree[otherCounty], access: .maintenance, actor: setup.console
            ).id
            // Sent by the other county's office (with .maintenance the move would complete at once).
            let sender = try await setup.store.organisations.find(setup.tree[otherCounty], access: .maintenance)!
            let senderAccess = OrganisationAccess(
                permission: .membersWrite, reaches: [OrganisationReach(organisationID: sender.id, path: sender.path, scope: .subtree)])
            let incoming = try await setup.store.transfers.start(
                memberID: arriving, toOrganisationID: setup.tree[key], toName: nil, validDays: 90, duesPaidUntil: (2026, 10),
                access: senderAccess, actor: setup.console)
            records.add(.incomingTransfer, in: setup.tree[key], incoming.id)
        }
    }
}

extension WebFixture {
    /// The members capability's records: import jobs, transfers, a floating certificate, an export request.
    mutating func addMembers(kit: StoreKit, clock: ManualClock, console: Actor) async throws {
        for (i, who) in [Who.orgadmin, .worker].enumerated() {
            let actor = actors[who]!
            let user = try await kit.accounts.find(actor.userID)!
            let access = try await kit.accounts.principal(for: user).access(for: .membersWrite)
            // One good row and one with a problem (for the 问题行 download).
            let csv =
                "姓名,身份证号,入党日期,转正日期\n导入\(i),\(MemberFixtures.idNumber(born: "1985-01-01", sequence: 700 + i)),2010-01-01,2011-01-01\n坏行\(i),123,2010-01-01,\n"
            let job = try await kit.store.importer.preview(
                file: Data(csv.utf8), fileName: "f.csv", organisationID: tree["A1a1"], access: access,
                actor: Actor(userID: actor.userID, name: who.rawValue, ip: "127.0.0.1", requestID: "fixture"))
            importJobs[who] = job.jobID
        }
        let transfers = kit.store.transfers
        let b = try await kit.organisations.find(tree["B"], access: .maintenance)!
        let bAccess = OrganisationAccess(permission: .membersWrite, reaches: [OrganisationReach(organisationID: b.id, path: b.path, scope: .subtree)])
        incomingTransfer = try await transfers.start(
            memberID: memberIDs["B1"]!, toOrganisationID: tree["A1a1"], toName: nil, validDays: 90,
            duesPaidUntil: (2026, 10), access: bAccess, actor: console
        ).id
        outgoingTransfer = try await transfers.start(
            memberID: memberIDs["A1a1"]!, toOrganisationID: nil, toName: "外省某县某支部", validDays: 180,
            duesPaidUntil: (2026, 10), crossProvince: true, access: .maintenance, actor: console
        ).id
        let today = CivilDate(date: clock.now())
        floatingCertificate = try await kit.store.floating.issue(
            memberID: memberIDs["A1a1"]!, number: "", issuedOn: today, reason: "外出务工", destination: "广东省深圳市",
            validUntil: today.adding(months: 3), access: .maintenance, actor: console
        ).certificate.id
        exportRequest = try await kit.store.exportRequests.create(
            requesterID: actors[.orgadmin]!.userID, organisationID: tree["A1"], filter: "org=\(tree["A1"])&scope=subtree", format: "csv",
            purpose: "矩阵核对用途", rowCount: 1, approvalRows: 100, perDay: 10, actor: console)
    }
}
