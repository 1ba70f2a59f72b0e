/// 组织 (slug `organisations`): the tree, terms, units, restructuring, the organisation import: the URL of every route it registers, written once
/// (route registration, redirects and page models read these).
enum OrganisationsPaths {
    static let orgs = "/orgs"
    static let orgsImport = "/orgs/import"
    static let orgsImportTemplateXlsx = "/orgs/import/template.xlsx"
    static let orgsImportCommitPattern = "/orgs/import/{job}/commit"
    static let orgsNew = "/orgs/new"
    static let orgsPattern = "/orgs/{id}"
    static let orgsByElectionsPattern = "/orgs/{id}/by-elections"
    static let orgsDissolvePattern = "/orgs/{id}/dissolve"
    static let orgsElectionsPattern = "/orgs/{id}/elections"
    static let orgsMergePattern = "/orgs/{id}/merge"
    static let orgsMovePattern = "/orgs/{id}/move"
    static let orgsPostponePattern = "/orgs/{id}/postpone"
    static let orgsRenamePattern = "/orgs/{id}/rename"
    static let orgsRetypePattern = "/orgs/{id}/retype"
    static let orgsUnitsPattern = "/orgs/{id}/units"
    static let terms = "/terms"
    static let units = "/units"
    static let unitsPattern = "/units/{id}"

    static func orgs(_ id: Int64) -> String { "/orgs/\(id)" }
}
