public import Foundation

/// A resident ID number (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
/// (odd = male, even = female) and an ISO 7064 MOD 11-2 check character. Only valid numbers can be constructed.
public struct IDNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, check character upper-case.
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkMap: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Why a typed number was refused, in Chinese, naming the rule.
    public enum Problem: Error, Equatable, Sendable {
        case wrongLength(Int)
        case notDigits
        case badCheckCharacter(expected: Character)
        case impossibleBirthDate(String)
        case futureBirthDate(String)

        public var message: String {
            switch self {
            case .wrongLength(let n): "身份证号应为 18 位（旧的 15 位号码会自动升位），现在是 \(n) 位"
            case .notDigits: "身份证号前 17 位必须是数字，最后一位是数字或 X"
            case .badCheckCharacter(let c): "身份证号校验位不正确（按 GB 11643 应为 \(c)），请核对是否输错"
            case .impossibleBirthDate(let d): "身份证号中的出生日期 \(d) 不存在"
            case .futureBirthDate(let d): "身份证号中的出生日期 \(d) 晚于今天"
            }
        }
    }

    /// Parses a typed or imported number: full-width digits and spaces are tolerated, a lower-case x is
    /// accepted, and a 15-digit number (GB 11643-1989) is upgraded to 18 digits by inserting "19" and computing the
    /// check character.
    public static func parse(_ raw: String, today: Date = Date()) -> Result<IDNumber, Problem> {
        // Fast path: 18 ASCII characters as typed in almost every roster (17 digits and a digit or X).
        let bytes = Array(raw.utf8)
        if bytes.count == 18, bytes[0..<17].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            (bytes[17] >= 0x30 && bytes[17] <= 0x39) || bytes[17] == UInt8(ascii: "X") || bytes[17] == UInt8(ascii: "x")
        {
            var sum = 0
            for i in 0..<17 { sum += Int(bytes[i] - 0x30) * weights[i] }
            let expected = checkMap[sum % 11]
            let last = Character(Unicode.Scalar(bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]))
            guard expected == last else { return .failure(.badCheckCharacter(expected: expected)) }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) } }
            guard let date = CivilDate(year: number(6..<10), month: number(10..<12), day: number(12..<14)) else {
                return .failure(.impossibleBirthDate(String(decoding: bytes[6..<14], as: UTF8.self)))
            }
            if date > CivilDate(date: today) { return .failure(.futureBirthDate(date.description)) }
            return .success(IDNumber(value: raw.uppercased()))
        }
        var text = raw.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }.uppercased()
        if text.count == 15 {
            guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notDigits) }
            let body = String(text.prefix(6)) + "19" + String(text.dropFirst(6))
            guard let check = checkCharacter(for: body) else { return .failure(.notDigits) }
            text = body + String(check)
        }
        guard text.count == 18 else { return .failure(.wrongLength(text.count)) }
        let body = String(text.prefix(17))
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }), let last = text.last, last.isASCII && (last.isNumber || last == "X") else {
            return .failure(.notDigits)
        }
        guard let expected = checkCharacter(for: body) else { return .failure(.notDigits) }
        guard expected == last else { return .failure(.badCheckCharacter(expected: expected)) }
        let birth = String(text.dropFirst(6).prefix(8))
        guard let date = CivilDate(compact: birth) else { return .failure(.impossibleBirthDate(birth)) }
        if date > CivilDate(date: today) { return .failure(.futureBirthDate(date.description)) }
        return .success(IDNumber(value: text))
    }

    private init(value: String) { self.value = value }

    /// The MOD 11-2 check character for 17 digits, nil when `body` is not 17 digits.
    public static func checkCharacter(for body: String) -> Character? {
        let digits = body.compactMap { $0.wholeNumberValue }
        guard digits.count == 17, body.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkMap[sum % 11]
    }

    /// The birth date encoded in the number.
    public var birthDate: CivilDate { CivilDate(compact: String(value.dropFirst(6).prefix(8))) ?? .excelBase }  // checked when parsed

    /// The gender encoded in the number (sequence digit 17: odd = male).
    public var gender: Gender {
        let digit = value.dropFirst(16).first?.wholeNumberValue ?? 1  // checked when parsed
        return digit % 2 == 1 ? .male : .female
    }

    /// The masked display form, e.g. `1101**********002X`.
    public var masked: String { Masking.idNumber(value) }

    public var description: String { masked }
}

/// 性别.
public enum Gender: String, Sendable, Codable, CaseIterable {
    case male = "male"
    case female = "female"

    public var displayName: String { self == .male ? "男" : "女" }

    public init?(displayName: String) {
        switch displayName.trimmed {
        case "男", "male", "M", "m": self = .male
        case "女", "female", "F", "f": self = .female
        default: return nil
        }
    }
}
