import DangjianDomain

/// One field of a generated form: label, current value, the error next to it, and options for selects.
struct FormField: Sendable {
    var name: String
    var label: String
    var value: String
    var error: String?
    var hint: String?
    var required: Bool
    var isSelect: Bool
    var isDate: Bool
    var options: [SelectOption]
    var placeholder: String

    static func text(
        _ name: String, _ label: String, _ value: String, required: Bool = false, hint: String? = nil, placeholder: String = ""
    ) -> FormField {
        FormField(
            name: name, label: label, value: value, error: nil, hint: hint, required: required, isSelect: false, isDate: false, options: [],
            placeholder: placeholder)
    }

    static func date(_ name: String, _ label: String, _ value: String, required: Bool = false, hint: String? = nil) -> FormField {
        FormField(
            name: name, label: label, value: value, error: nil, hint: hint, required: required, isSelect: false, isDate: true, options: [],
            placeholder: "2019-07-01")
    }

    static func select(
        _ name: String, _ label: String, _ value: String, _ choices: [(value: String, label: String)], required: Bool = false, hint: String? = nil
    ) -> FormField {
        var options = [SelectOption(value: "", label: "请选择", selected: value.isEmpty)]
        options += choices.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == value || $0.label == value) }
        return FormField(
            name: name, label: label, value: value, error: nil, hint: hint, required: required, isSelect: true, isDate: false, options: options,
            placeholder: "")
    }
}

extension Array where Element == FormField {
    /// Puts each problem next to its field; problems about fields not on the form are returned for the top.
    mutating func attach(_ problems: [ValidationFailure]) -> [String] {
        var unplaced: [String] = []
        for problem in problems {
            if let i = firstIndex(where: { $0.name == problem.field }) {
                self[i].error = [self[i].error, problem.fullMessage].compactMap { $0 }.joined(separator: "；")
            } else {
                unplaced.append(problem.fullMessage)
            }
        }
        return unplaced
    }
}
