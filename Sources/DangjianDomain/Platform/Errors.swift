/// An error a user caused and can fix, with a Chinese message naming the field and, when one applies, the rule.
/// An error that carries several problems at once, so that a form shows them all next to their fields and the API
/// lists them (`problems`, each with field, message and rule). Every "several problems" error conforms.
public protocol ProblemList: Error, Sendable {
    var problems: [ValidationFailure] { get }
}

public struct ValidationFailure: Error, Sendable, Equatable {
    /// The form field or column the problem is about (`name`, `parent_id` …).
    public var field: String
    /// The message shown next to the field.
    public var message: String
    /// The rule ID when a domain rule was broken (e.g. `ORG-03`).
    public var ruleID: String?
    /// The failure is about a malformed or out-of-range request parameter (a page number, a year in the URL): the
    /// API answers 400 rather than 422.
    public var isRequestParameter: Bool

    public init(field: String, message: String, ruleID: String? = nil, isRequestParameter: Bool = false) {
        self.field = field
        self.message = message
        self.ruleID = ruleID
        self.isRequestParameter = isRequestParameter
    }

    /// The full message with the rule cited, e.g. "…（规则 ORG-03）".
    public var fullMessage: String {
        if let ruleID { return "\(message)（规则 \(ruleID)）" }
        return message
    }
}

/// Raised when the record is outside the caller's scope or the caller lacks the permission.
/// Routes turn it into 404 for records (so existence is not revealed) or 403 for actions.
public struct AccessDenied: Error, Sendable, Equatable {
    public var permission: Permission?
    public var reason: String

    public init(permission: Permission?, reason: String) {
        self.permission = permission
        self.reason = reason
    }
}

/// Raised when a record was changed by someone else since the form was loaded (optimistic locking).
public struct EditConflict: Error, Sendable, Equatable {
    public var objectType: String
    public var objectID: Int64
    public init(objectType: String, objectID: Int64) {
        self.objectType = objectType
        self.objectID = objectID
    }
}

/// Raised when a record does not exist or is not visible.
public struct RecordNotFound: Error, Sendable, Equatable {
    public var objectType: String
    public var objectID: String
    public init(objectType: String, objectID: String) {
        self.objectType = objectType
        self.objectID = objectID
    }
}
