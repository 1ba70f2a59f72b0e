import Foundation
import DangjianDomain

/// The facts of a step as stored (JSON).
struct StoredFacts: Codable {
    var people: [String] = []
    var peopleFull: [Bool] = []
    var reviewPassed: Bool?
    var trainingDays = 0
    var trainingHours = 0
    var vote: [Int]?  // entitled, present, for, against, abstaining, written for, written against
    var branchFullMembers: Int?
    var leavingOn: String?
    var approverType: String?
    var extensionMonths: Int?
    var publicityStart: String?
    var formNumber: String?
    var excluded: [String]?
    var exclusionsApproved: Bool?
    var talkerRole: String?
    var cancelProbation: Bool?
    var approverOrganisationID: Int64?
    var negativeFindings: [String]?
    var recommendations: [String]?
    var handler: String?

    init(_ f: StepFacts) {
        people = f.people.map(\.name)
        peopleFull = f.people.map(\.full)
        reviewPassed = f.reviewPassed
        trainingDays = f.trainingDays
        trainingHours = f.trainingHours
        vote = f.vote.map { [$0.entitled, $0.present, $0.inFavour, $0.against, $0.abstaining, $0.writtenInFavour, $0.writtenAgainst] }
        branchFullMembers = f.branchFullMembers
        leavingOn = f.leavingOn?.description
        approverType = f.approverType?.rawValue
        extensionMonths = f.extensionMonths
        publicityStart = f.publicityStart?.description
        formNumber = f.formNumber?.trimmed
        excluded = f.excluded.isEmpty ? nil : f.excluded.map(\.rawValue)
        exclusionsApproved = f.exclusionsApproved ? true : nil
        talkerRole = f.talkerRole?.rawValue
        cancelProbation = f.cancelProbation ? true : nil
        approverOrganisationID = f.approverOrganisationID
        negativeFindings = f.negativeFindings.isEmpty ? nil : f.negativeFindings
        recommendations = f.recommendations.isEmpty ? nil : f.recommendations.map(\.rawValue)
        handler = f.handler.map { $0.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
    }

    var facts: StepFacts {
        var f = StepFacts()
        f.people = zip(people, peopleFull).map { ($0, $1) }
        f.reviewPassed = reviewPassed
        f.trainingDays = trainingDays
        f.trainingHours = trainingHours
        if let v = vote, v.count == 7 {
            f.vote = ResolutionVote(
                entitled: v[0], present: v[1], inFavour: v[2], against: v[3], abstaining: v[4], writtenInFavour: v[5], writtenAgainst: v[6])
        }
        f.branchFullMembers = branchFullMembers
        f.leavingOn = leavingOn.flatMap(CivilDate.init(iso:))
        f.approverType = approverType.flatMap(OrganisationType.init(rawValue:))
        f.extensionMonths = extensionMonths
        f.publicityStart = publicityStart.flatMap(CivilDate.init(iso:))
        f.formNumber = formNumber
        f.excluded = (excluded ?? []).compactMap(VoteExclusion.init(rawValue:))
        f.exclusionsApproved = exclusionsApproved ?? false
        f.talkerRole = talkerRole.flatMap(ApprovalTalker.init(rawValue:))
        f.cancelProbation = cancelProbation ?? false
        f.approverOrganisationID = approverOrganisationID
        f.negativeFindings = negativeFindings ?? []
        f.recommendations = (recommendations ?? []).compactMap(ActivistRecommendation.init(rawValue:))
        f.handler = handler
        return f
    }
}
