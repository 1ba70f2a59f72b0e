/// 023: re-masks the stored ID numbers of members and development files from `6101**********1234` to
/// `6101**************` (issue 15, H5; decision 0023): the last four digits beside the birth date gave the number
/// back. The stored mask is only ever a display value; the number itself is sealed in `id_number_enc`.
enum Migration023IdentityMask {
    static let migration = Migration(version: 23, name: "identity_mask_without_tail") { _ in
        ["members", "development_cases"].map { table in
            """
            UPDATE \(table) SET id_number_masked = substr(id_number_masked, 1, 4) || substr('****************************', 1, length(id_number_masked) - 4)
            WHERE length(id_number_masked) > 8
            """
        }
    }
}
