import Foundation
import HTTPTypes
import Hummingbird
import DangjianDomain
import DangjianStore
import DangjianTestSupport
@testable import DangjianWeb

extension AuthorizationMatrix {
    /// The matrix calls of the admin routes (a route not listed here gets a plain request to its path).
    static func adminCall(_ route: String, _ c: MatrixCallContext) -> Call? {
        let (org, own, user, actor, fixture, who, position) = (c.org, c.own, c.user, c.actor, c.fixture, c.who, c.position)
        _ = (org, own, user, actor, fixture, who, position)
        switch route {
        case "GET /admin/users/{id}": return Call(method: .get, uri: "/admin/users/\(user)")
        case "POST /admin/users": return Call(method: .post, uri: "/admin/users", form: ["username": "newuser", "display_name": "新用户"])
        case "POST /admin/users/{id}/reset-password", "POST /admin/users/{id}/unlock", "POST /admin/users/{id}/disable",
            "POST /admin/users/{id}/enable":
            let action = route.split(separator: "/").last!
            return Call(method: .post, uri: "/admin/users/\(user)/\(action)", form: [:])
        case "POST /admin/users/{id}/roles":
            return Call(
                method: .post, uri: "/admin/users/\(user)/roles",
                form: ["role": "party_worker", "organisation_id": "\(fixture.tree["A21"])", "scope": "own"])
        case "POST /admin/users/{id}/roles/{grant}/revoke":
            return Call(method: .post, uri: "/admin/users/\(user)/roles/\(fixture.targetGrantID)/revoke", form: [:])
        case "POST /admin/policy":
            return Call(
                method: .post, uri: "/admin/policy",
                form: [
                    "min_length": "10", "min_character_classes": "3", "max_age_days": "90", "history_count": "5", "lockout_threshold": "5",
                    "lockout_minutes": "30", "idle_timeout_minutes": "30", "admin_idle_timeout_minutes": "15", "absolute_timeout_hours": "8",
                ])
        case "POST /admin/users/{id}/second-factor/reset":
            return Call(method: .post, uri: "/admin/users/\(user)/second-factor/reset", form: ["reason": "矩阵"])
        case "POST /admin/holidays": return Call(method: .post, uri: "/admin/holidays", form: ["year": "2027", "calendar": "2027-01-01 元旦 休"])
        case "POST /admin/rules":
            return Call(
                method: .post, uri: "/admin/rules",
                form: [
                    "version": "矩阵-1", "effective_from": "2099-01-01", "minimum_age": "18", "probation_years": "1",
                    "maximum_probation_extension_months": "12", "medal_years": "50", "lost_contact_months": "6", "branch_minimum_full_members": "3",
                    "branch_maximum_members": "50", "committee_threshold_full_members": "7", "committee_minimum_size": "3",
                    "committee_maximum_size": "7",
                    "joint_branch_maximum_units": "5", "floating_transfer_months": "6", "assessment_categories": "党群政务、社会服务",
                ])

        default: return nil
        }
    }
}

extension AdminFeature: FeatureTestKit {
    static func matrixCall(_ route: String, _ context: AuthorizationMatrix.MatrixCallContext) -> AuthorizationMatrix.Call? {
        AuthorizationMatrix.adminCall(route, context)
    }
}
