import DangjianDomain

/// Reads a posted form into typed values one named field at a time — the base of every `…Form` struct (issue 16):
/// a handler gets a parsed form or the first problem, named by its field and in the user's words, never a half-read
/// form. Numbers are read only as bounded types (`FormData.number`).
struct FormReader {
    let form: FormData
    /// What was wrong, in the order the fields were read.
    private(set) var problems: [ValidationFailure] = []

    init(_ form: FormData) { self.form = form }

    /// A trimmed text field, empty when absent.
    func text(_ field: String) -> String { form.text(field) }

    /// A text field exactly as posted (a letter's body keeps its leading spaces and line breaks).
    func raw(_ field: String) -> String { form[field] ?? "" }

    /// A record id, nil when absent or not a whole number.
    func id(_ field: String) -> Int64? { form.int64(field) }

    /// Every whole-number value of a repeated field (checkboxes).
    func ids(_ field: String) -> [Int64] { form.ids(field) }

    /// A required date: empty asks for it ("请填写整改时限，如 2026-07-03"); text that is no date says so and quotes it
    /// ("无法识别日期“下月底”…") rather than asking for what was written.
    mutating func date(_ field: String, _ label: String, example: String) -> CivilDate? {
        let raw = form.text(field)
        if let date = CivilDate.parseLenient(raw) { return date }
        let message = raw.isEmpty ? "请填写\(label)，如 \(example)" : "无法识别日期“\(String(raw.prefix(40)))”，请按 \(example) 的格式填写\(label)"
        problems.append(ValidationFailure(field: field, message: message))
        return nil
    }

    /// A whole number of the bounded type `N`: nil when empty; out of range or not a number is a problem.
    mutating func number<N: BoundedNumber>(_ field: String, _ type: N.Type) -> N? {
        do { return try form.number(field, type) } catch {
            problems.append(error)
            return nil
        }
    }

    /// One of `E`'s raw values, nil when absent or unknown.
    func choice<E: RawRepresentable>(_ field: String, _ type: E.Type) -> E? where E.RawValue == String { E(rawValue: form.text(field)) }

    /// Every known value of a repeated choice field.
    func choices<E: RawRepresentable>(_ field: String, _ type: E.Type) -> [E] where E.RawValue == String {
        form.all(field).compactMap(E.init(rawValue:))
    }

    mutating func problem(_ field: String, _ message: String) { problems.append(ValidationFailure(field: field, message: message)) }

    /// Throws the first problem, if any (the pages show one message at a time, as before).
    func finish() throws(ValidationFailure) {
        if let first = problems.first { throw first }
    }
}
