import Foundation
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension WebFixture {
    /// The members capability's records: import jobs, transfers, a floating certificate, an export request.
    mutating func addMembers(kit: StoreKit, clock: ManualClock, console: Actor) async throws {
        for (i, who) in [Who.orgadmin, .worker].enumerated() {
            let actor = actors[who]!
            let user = try await kit.accounts.find(actor.userID)!
            let access = try await kit.accounts.principal(for: user).access(for: .membersWrite)
            let csv = "姓名,身份证号,入党日期,转正日期\n导入\(i),\(MemberFixtures.idNumber(born: "1985-01-01", sequence: 700 + i)),2010-01-01,2011-01-01\n"
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
            duesPaidUntil: (2026, 10), access: .maintenance, actor: console
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
