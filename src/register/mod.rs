//! The DORA register of information for one contract: the rows of templates B_02.01, B_02.02,
//! B_05.02 and B_07.01 of Implementing Regulation (EU) 2024/2956 that the contract fills, as
//! one CSV file (`<id>.dora-register.csv`), and the lint of what a final register lacks.
//!
//! Written for a financial entity whose project has a `dora` block. The values are those of
//! the EBA's reporting framework (DPM codes such as `eba_TA:S14`); the columns are the
//! templates' own codes (`c0010`, `c0020`, …), and each row names its template in the first
//! column. Every column, its meaning and the project field it comes from:
//! `docs/dora-register.md`.
//!
//! Value checks (a function identifier that is not `F` and a number, a storage country of a
//! provider that stores no data, …) are errors in final and draft alike
//! ([`crate::project::check`]); a mandatory column the project leaves empty is an error of a
//! final annex and a warning of a draft ([`Register::missing`]).

use crate::diagnostic::Diagnostic;
use crate::language::Localized;
use crate::project::{
    ArrangementType, Country, IctServiceType, Impact, Lei, Project, ProjectSource, Reintegration,
    Reliance, Sensitiveness, Substitutability, SubstitutabilityReason,
};
use crate::service_levels::Resolved;

/// The most columns a template of the register has here (B_02.02: c0010 to c0180).
pub const COLUMNS: usize = 18;

/// The register rows of one contract, and what a final register lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// The rows, in template order.
    pub rows: Vec<Row>,
    /// The mandatory cells the project leaves empty.
    pub missing: Vec<Missing>,
}

/// One row of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The template code, e.g. `B_02.02`.
    pub template: &'static str,
    /// The values of its columns c0010, c0020, … in order (empty: no value).
    pub values: Vec<String>,
}

/// A mandatory cell without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The template code.
    pub template: &'static str,
    /// The column code, e.g. `c0120`.
    pub column: String,
    /// What the column holds.
    pub name: Localized,
    /// The project field that fills it.
    pub field: String,
    /// Why the column is mandatory here, when it is only under a condition.
    pub because: Option<Localized>,
}

/// The code of the `n`th column (from 0): `c0010`, `c0020`, …
pub fn column_code(n: usize) -> String {
    format!("c{:04}", (n + 1) * 10)
}

/// `eba_qCO:qx2000`: the identification code is a LEI.
const TYPE_LEI: &str = "eba_qCO:qx2000";
/// The end date of a contract without a fixed end.
const OPEN_END: &str = "9999-12-31";

/// One row being built: each value with the project field it comes from.
struct RowBuilder<'m> {
    template: &'static str,
    values: Vec<String>,
    missing: &'m mut Vec<Missing>,
}

impl<'m> RowBuilder<'m> {
    /// A row of `template`; what it lacks goes to `missing`.
    fn new(template: &'static str, missing: &'m mut Vec<Missing>) -> RowBuilder<'m> {
        RowBuilder {
            template,
            values: Vec::new(),
            missing,
        }
    }

    /// The next column, one the annex does not fill (left empty, never reported).
    fn blank(&mut self) {
        self.values.push(String::new());
    }

    /// The next column: `value`, and when `required` and the value is missing, what lacks it.
    fn put(
        &mut self,
        value: Option<String>,
        required: Option<Option<Localized>>,
        field: &str,
        name: Localized,
    ) {
        if value.is_none()
            && let Some(because) = required
        {
            self.missing.push(Missing {
                template: self.template,
                column: column_code(self.values.len()),
                name,
                field: field.to_owned(),
                because,
            });
        }
        self.values.push(value.unwrap_or_default());
    }

    fn finish(self) -> Row {
        Row {
            template: self.template,
            values: self.values,
        }
    }
}

/// Mandatory in every row.
const ALWAYS: Option<Option<Localized>> = Some(None);

/// Mandatory when `condition` holds, for the reason `because`.
fn when(condition: bool, because: Localized) -> Option<Option<Localized>> {
    condition.then_some(Some(because))
}

/// A notice period of `months` in calendar days, as the register counts it: a month as the
/// twelfth of a year of 365 days, rounded up (6 months are 183 days).
pub fn notice_days(months: u32) -> u32 {
    (months * 365).div_ceil(12)
}

impl Register {
    /// The register rows of a project, `None` unless the client is a financial entity and the
    /// project has a `dora` block.
    pub fn new(project: &Project, resolved: &Resolved) -> Option<Register> {
        let dora = project.dora.as_ref()?;
        if !project.client.financial_entity {
            return None;
        }
        let critical = project.service.critical_function;
        let cif = || {
            crate::text!(
                en: "the service supports a critical or important function (`service.critical_function`)",
                de: "die Leistung unterstützt eine kritische oder wichtige Funktion (`service.critical_function`)",
            )
        };
        let reference = dora.contract_reference.as_ref().map(|r| r.0.clone());
        let provider = project.provider.lei.as_ref().map(lei);
        let provider_type = project.provider.lei.as_ref().map(|_| TYPE_LEI.to_owned());
        let service_type = dora
            .ict_service_type
            .map(|t| ict_service_code(t).to_owned());
        let mut missing = Vec::new();
        let mut rows = Vec::new();

        // B_02.01: the arrangement itself. Its currency and annual expense (c0040, c0050) are
        // commercial terms the annex does not state.
        let mut row = RowBuilder::new("B_02.01", &mut missing);
        row.put(
            reference.clone(),
            ALWAYS,
            "dora.contract_reference",
            name_reference(),
        );
        row.put(
            dora.arrangement_type
                .map(|t| arrangement_code(t).to_owned()),
            ALWAYS,
            "dora.arrangement_type",
            crate::text!(
                en: "type of contractual arrangement",
                de: "Art der vertraglichen Vereinbarung",
            ),
        );
        row.put(
            dora.overarching_reference.as_ref().map(|r| r.0.clone()),
            when(
                dora.arrangement_type == Some(ArrangementType::Subsequent),
                crate::text!(
                    en: "the arrangement is a subsequent one (`dora.arrangement_type`)",
                    de: "die Vereinbarung ist eine nachgeordnete (`dora.arrangement_type`)",
                ),
            ),
            "dora.overarching_reference",
            crate::text!(
                en: "overarching contractual arrangement reference number",
                de: "Referenznummer der übergeordneten vertraglichen Vereinbarung",
            ),
        );
        row.blank();
        row.blank();
        rows.push(row.finish());

        // B_02.02: the arrangement, the function it supports and its ICT service.
        let stores = dora.stores_data == Some(true);
        let mut row = RowBuilder::new("B_02.02", &mut missing);
        row.put(
            reference.clone(),
            ALWAYS,
            "dora.contract_reference",
            name_reference(),
        );
        row.put(
            project.client.lei.as_ref().map(lei),
            ALWAYS,
            "client.lei",
            crate::text!(
                en: "LEI of the entity making use of the ICT service",
                de: "LEI des Unternehmens, das die IKT-Dienstleistung nutzt",
            ),
        );
        row.put(provider.clone(), ALWAYS, "provider.lei", name_provider());
        row.put(
            provider_type.clone(),
            ALWAYS,
            "provider.lei",
            name_provider_type(),
        );
        row.put(
            project.service.function_id.as_ref().map(|f| f.0.clone()),
            ALWAYS,
            "service.function_id",
            crate::text!(en: "function identifier", de: "Kennung der Funktion"),
        );
        row.put(
            service_type.clone(),
            ALWAYS,
            "dora.ict_service_type",
            name_service_type(),
        );
        row.put(
            project.service.start_date.map(|d| d.to_string()),
            ALWAYS,
            "service.start_date",
            crate::text!(
                en: "start date of the contractual arrangement",
                de: "Beginn der vertraglichen Vereinbarung",
            ),
        );
        row.put(
            Some(
                dora.end_date
                    .map_or_else(|| OPEN_END.to_owned(), |d| d.to_string()),
            ),
            ALWAYS,
            "dora.end_date",
            Localized::verbatim(""),
        );
        // c0090: the reason of a termination; the contract is not terminated.
        row.blank();
        row.put(
            Some(notice_days(resolved.term.notice_months_client).to_string()),
            None,
            "term.notice_months_client",
            Localized::verbatim(""),
        );
        row.put(
            Some(notice_days(resolved.term.notice_months_provider).to_string()),
            None,
            "term.notice_months_provider",
            Localized::verbatim(""),
        );
        row.put(
            dora.governing_law.as_ref().map(country),
            when(critical, cif()),
            "dora.governing_law",
            crate::text!(
                en: "country of the governing law",
                de: "Land des anwendbaren Rechts",
            ),
        );
        row.put(
            dora.provision_country.as_ref().map(country),
            when(critical, cif()),
            "dora.provision_country",
            crate::text!(
                en: "country of provision of the ICT services",
                de: "Land der Erbringung der IKT-Dienstleistungen",
            ),
        );
        row.put(
            dora.stores_data.map(yes_no),
            when(critical, cif()),
            "dora.stores_data",
            crate::text!(en: "storage of data", de: "Speicherung von Daten"),
        );
        row.put(
            dora.storage_country.as_ref().map(country),
            when(
                stores,
                crate::text!(
                    en: "the provider stores data (`dora.stores_data`)",
                    de: "der Dienstleister speichert Daten (`dora.stores_data`)",
                ),
            ),
            "dora.storage_country",
            crate::text!(
                en: "location of the data at rest",
                de: "Ort der gespeicherten Daten",
            ),
        );
        row.put(
            dora.processing_country.as_ref().map(country),
            when(
                stores || project.service.personal_data,
                crate::text!(
                    en: "the provider stores data or processes personal data (`dora.stores_data`, `service.personal_data`)",
                    de: "der Dienstleister speichert Daten oder verarbeitet personenbezogene Daten (`dora.stores_data`, `service.personal_data`)",
                ),
            ),
            "dora.processing_country",
            crate::text!(
                en: "location of management of the data",
                de: "Ort der Verwaltung der Daten",
            ),
        );
        row.put(
            dora.data_sensitiveness.map(|s| sensitiveness_code(s).to_owned()),
            when(
                critical && stores,
                crate::text!(
                    en: "the provider stores data for a critical or important function (`dora.stores_data`, `service.critical_function`)",
                    de: "der Dienstleister speichert Daten für eine kritische oder wichtige Funktion (`dora.stores_data`, `service.critical_function`)",
                ),
            ),
            "dora.data_sensitiveness",
            crate::text!(
                en: "sensitiveness of the data stored",
                de: "Sensibilität der gespeicherten Daten",
            ),
        );
        row.put(
            dora.reliance.map(|r| reliance_code(r).to_owned()),
            when(critical, cif()),
            "dora.reliance",
            crate::text!(
                en: "level of reliance on the ICT service",
                de: "Grad der Abhängigkeit von der IKT-Dienstleistung",
            ),
        );
        rows.push(row.finish());

        // B_05.02 and B_07.01 hold the supply chain and the assessment of an ICT service that
        // supports a critical or important function.
        if critical {
            let mut row = RowBuilder::new("B_05.02", &mut missing);
            supply_chain_start(&mut row, &reference, &service_type);
            row.put(provider.clone(), ALWAYS, "provider.lei", name_provider());
            row.put(
                provider_type.clone(),
                ALWAYS,
                "provider.lei",
                name_provider_type(),
            );
            row.put(Some("1".to_owned()), None, "", Localized::verbatim(""));
            row.blank();
            row.blank();
            rows.push(row.finish());
            for (i, sub) in project.subcontractors.iter().enumerate() {
                let mut row = RowBuilder::new("B_05.02", &mut missing);
                supply_chain_start(&mut row, &reference, &service_type);
                let field = format!("subcontractors[{i}].lei");
                row.put(sub.lei.as_ref().map(lei), ALWAYS, &field, name_provider());
                row.put(
                    sub.lei.as_ref().map(|_| TYPE_LEI.to_owned()),
                    ALWAYS,
                    &field,
                    name_provider_type(),
                );
                row.put(Some("2".to_owned()), None, "", Localized::verbatim(""));
                row.put(
                    provider.clone(),
                    ALWAYS,
                    "provider.lei",
                    crate::text!(
                        en: "identification code of the recipient of sub-contracted ICT services",
                        de: "Kennung des Empfängers der weitervergebenen IKT-Dienstleistungen",
                    ),
                );
                row.put(
                    provider_type.clone(),
                    ALWAYS,
                    "provider.lei",
                    crate::text!(
                        en: "type of code to identify the recipient of sub-contracted ICT services",
                        de: "Art der Kennung des Empfängers der weitervergebenen IKT-Dienstleistungen",
                    ),
                );
                rows.push(row.finish());
            }

            let mut row = RowBuilder::new("B_07.01", &mut missing);
            row.put(
                reference.clone(),
                ALWAYS,
                "dora.contract_reference",
                name_reference(),
            );
            row.put(provider.clone(), ALWAYS, "provider.lei", name_provider());
            row.put(provider_type, ALWAYS, "provider.lei", name_provider_type());
            row.put(
                service_type,
                ALWAYS,
                "dora.ict_service_type",
                name_service_type(),
            );
            row.put(
                dora.substitutability
                    .map(|s| substitutability_code(s).to_owned()),
                ALWAYS,
                "dora.substitutability",
                crate::text!(
                    en: "substitutability of the ICT third-party service provider",
                    de: "Ersetzbarkeit des IKT-Drittdienstleisters",
                ),
            );
            row.put(
                dora.substitutability_reason
                    .map(|r| substitutability_reason_code(r).to_owned()),
                when(
                    dora.substitutability.is_some_and(Substitutability::needs_reason),
                    crate::text!(
                        en: "the provider is not or hardly substitutable (`dora.substitutability`)",
                        de: "der Dienstleister ist nicht oder nur schwer ersetzbar (`dora.substitutability`)",
                    ),
                ),
                "dora.substitutability_reason",
                crate::text!(
                    en: "reason why the provider is not or hardly substitutable",
                    de: "Grund, aus dem der Dienstleister nicht oder nur schwer ersetzbar ist",
                ),
            );
            // c0070: the date of the last audit of the provider, which no annex knows.
            row.blank();
            row.put(
                dora.exit_plan.map(yes_no),
                ALWAYS,
                "dora.exit_plan",
                crate::text!(
                    en: "existence of an exit plan",
                    de: "Bestehen eines Ausstiegsplans",
                ),
            );
            row.put(
                dora.reintegration.map(|r| reintegration_code(r).to_owned()),
                ALWAYS,
                "dora.reintegration",
                crate::text!(
                    en: "possibility of reintegration of the ICT service",
                    de: "Möglichkeit, die IKT-Dienstleistung wieder selbst zu übernehmen",
                ),
            );
            row.put(
                dora.discontinuing_impact.map(|i| impact_code(i).to_owned()),
                ALWAYS,
                "dora.discontinuing_impact",
                crate::text!(
                    en: "impact of discontinuing the ICT service",
                    de: "Auswirkung einer Einstellung der IKT-Dienstleistung",
                ),
            );
            row.put(
                dora.alternatives_identified.map(yes_no),
                ALWAYS,
                "dora.alternatives_identified",
                crate::text!(
                    en: "alternative providers identified",
                    de: "alternative Dienstleister ermittelt",
                ),
            );
            // c0120: the alternative providers themselves; the project does not name them.
            row.blank();
            rows.push(row.finish());
        }
        Some(Register { rows, missing })
    }

    /// The register as CSV (RFC 4180, UTF-8 without byte order mark, CRLF line ends): a header
    /// `template,c0010,…,c0180`, then one line per row, its unused columns empty. The same
    /// project gives the same bytes.
    pub fn to_csv(&self) -> Result<String, crate::failure::Failure> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        use crate::failure::Failure;
        let mut header = vec!["template".to_owned()];
        header.extend((0..COLUMNS).map(column_code));
        writer.write_record(&header).map_err(Failure::internal)?;
        for row in &self.rows {
            let mut record = vec![row.template.to_owned()];
            record.extend(row.values.iter().cloned());
            record.resize(COLUMNS + 1, String::new());
            writer.write_record(&record).map_err(Failure::internal)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| Failure::internal(e.error()))?;
        String::from_utf8(bytes).map_err(Failure::internal)
    }

    /// One diagnostic per project field a final register lacks (naming every column it would
    /// fill), located at the field or, as it is missing, at the object that would hold it.
    /// Errors: a draft turns them into warnings.
    pub fn missing(&self, source: &ProjectSource) -> Vec<Diagnostic> {
        let mut fields: Vec<&str> = Vec::new();
        for m in &self.missing {
            if !fields.contains(&m.field.as_str()) {
                fields.push(&m.field);
            }
        }
        fields
            .into_iter()
            .map(|field| {
                let all: Vec<&Missing> =
                    self.missing.iter().filter(|m| m.field == field).collect();
                let mut columns: Vec<String> = Vec::new();
                for m in &all {
                    let c = format!("{} {}", m.template, m.column);
                    if !columns.contains(&c) {
                        columns.push(c);
                    }
                }
                let columns = columns.join(", ");
                let first = all.first();
                let name = first
                    .map(|m| m.name.clone())
                    .unwrap_or_else(|| Localized::verbatim(""));
                let (name_en, name_de) = (&name.en, &name.de);
                let mut message = crate::text!(
                    en: "the DORA register of information needs `{field}` for {columns} ({name_en})",
                    de: "das DORA-Informationsregister braucht `{field}` für {columns} ({name_de})",
                );
                if let Some(because) = first.and_then(|m| m.because.as_ref()) {
                    let (because_en, because_de) = (&because.en, &because.de);
                    message.push(&crate::text!(
                        en: ": {because_en}",
                        de: ": {because_de}",
                    ));
                }
                source
                    .error_at_missing(field, message)
                    .hint(field_hint(field))
                    .hint(crate::text!(
                        en: "a draft (`--draft`) writes the register with the cell empty; every column and its source: docs/dora-register.md",
                        de: "ein Entwurf (`--draft`) schreibt das Register mit leerer Zelle; alle Spalten und ihre Quellen: docs/dora-register.md",
                    ))
            })
            .collect()
    }
}

/// Columns c0010 and c0020 of a B_05.02 row.
fn supply_chain_start(
    row: &mut RowBuilder<'_>,
    reference: &Option<String>,
    service_type: &Option<String>,
) {
    row.put(
        reference.clone(),
        ALWAYS,
        "dora.contract_reference",
        name_reference(),
    );
    row.put(
        service_type.clone(),
        ALWAYS,
        "dora.ict_service_type",
        name_service_type(),
    );
}

fn name_reference() -> Localized {
    crate::text!(
        en: "contractual arrangement reference number",
        de: "Referenznummer der vertraglichen Vereinbarung",
    )
}

fn name_provider() -> Localized {
    crate::text!(
        en: "identification code of the ICT third-party service provider",
        de: "Kennung des IKT-Drittdienstleisters",
    )
}

fn name_provider_type() -> Localized {
    crate::text!(
        en: "type of code to identify the ICT third-party service provider",
        de: "Art der Kennung des IKT-Drittdienstleisters",
    )
}

fn name_service_type() -> Localized {
    crate::text!(
        en: "type of ICT services",
        de: "Art der IKT-Dienstleistungen",
    )
}

/// What to give for a field the register lacks.
fn field_hint(field: &str) -> Localized {
    match field {
        "dora.contract_reference" => crate::text!(
            en: "give the reference number under which the client's register records this contract (unique, and unchanged over time)",
            de: "geben Sie die Referenznummer an, unter der das Register des Auftraggebers diesen Vertrag führt (eindeutig und dauerhaft gleich)",
        ),
        "dora.arrangement_type" => crate::text!(
            en: "give \"standalone\", \"overarching\" (a master agreement) or \"subsequent\" (an agreement under a master agreement)",
            de: "geben Sie \"standalone\" (eigenständig), \"overarching\" (Rahmenvertrag) oder \"subsequent\" (Einzelvertrag unter einem Rahmenvertrag) an",
        ),
        "dora.overarching_reference" => crate::text!(
            en: "give the reference number of the overarching arrangement in the client's register",
            de: "geben Sie die Referenznummer der übergeordneten Vereinbarung im Register des Auftraggebers an",
        ),
        "client.lei" => crate::text!(
            en: "give the client's Legal Entity Identifier (20 characters, ISO 17442)",
            de: "geben Sie die Rechtsträgerkennung (LEI, 20 Zeichen, ISO 17442) des Auftraggebers an",
        ),
        "provider.lei" => crate::text!(
            en: "give the provider's Legal Entity Identifier (20 characters, ISO 17442); the register identifies a provider by it",
            de: "geben Sie die Rechtsträgerkennung (LEI, 20 Zeichen, ISO 17442) des Auftragnehmers an; das Register bezeichnet einen Dienstleister mit ihr",
        ),
        "service.function_id" => crate::text!(
            en: "give the identifier of the supported function in the client's register (template B_06.01), such as \"F1\"",
            de: "geben Sie die Kennung der unterstützten Funktion im Register des Auftraggebers an (Meldebogen B_06.01), etwa \"F1\"",
        ),
        "dora.ict_service_type" => crate::text!(
            en: "give the type of ICT services, S01 to S19 of Annex III of Implementing Regulation (EU) 2024/2956, such as \"S14\" (ICT operation management)",
            de: "geben Sie die Art der IKT-Dienstleistungen an, S01 bis S19 nach Anhang III der Durchführungsverordnung (EU) 2024/2956, etwa \"S14\" (Betrieb von IKT)",
        ),
        "service.start_date" => crate::text!(
            en: "give the date the services start as the contract stipulates it (YYYY-MM-DD)",
            de: "geben Sie das Datum an, an dem die Leistungen nach dem Vertrag beginnen (JJJJ-MM-TT)",
        ),
        "dora.governing_law" => crate::text!(
            en: "give the ISO 3166-1 code of the country whose law governs the contract, such as \"DE\"",
            de: "geben Sie den Code nach ISO 3166-1 des Landes an, dessen Recht für den Vertrag gilt, etwa \"DE\"",
        ),
        "dora.provision_country" => crate::text!(
            en: "give the ISO 3166-1 code of the country from which the services are provided",
            de: "geben Sie den Code nach ISO 3166-1 des Landes an, von dem aus die Leistungen erbracht werden",
        ),
        "dora.stores_data" => crate::text!(
            en: "say whether the provider stores the client's data: true or false",
            de: "geben Sie an, ob der Dienstleister Daten des Auftraggebers speichert: true oder false",
        ),
        "dora.storage_country" => crate::text!(
            en: "give the ISO 3166-1 code of the country where the data are stored",
            de: "geben Sie den Code nach ISO 3166-1 des Landes an, in dem die Daten gespeichert werden",
        ),
        "dora.processing_country" => crate::text!(
            en: "give the ISO 3166-1 code of the country where the data are processed",
            de: "geben Sie den Code nach ISO 3166-1 des Landes an, in dem die Daten verarbeitet werden",
        ),
        "dora.data_sensitiveness" => crate::text!(
            en: "give \"low\", \"medium\" or \"high\"",
            de: "geben Sie \"low\" (niedrig), \"medium\" (mittel) oder \"high\" (hoch) an",
        ),
        "dora.reliance" => crate::text!(
            en: "give \"not_significant\", \"low\", \"material\" or \"full\"",
            de: "geben Sie \"not_significant\" (unerheblich), \"low\" (gering), \"material\" (wesentlich) oder \"full\" (vollständig) an",
        ),
        "dora.substitutability" => crate::text!(
            en: "give \"not_substitutable\", \"highly_complex\", \"medium_complexity\" or \"easy\"",
            de: "geben Sie \"not_substitutable\" (nicht ersetzbar), \"highly_complex\" (sehr schwer), \"medium_complexity\" (mittelschwer) oder \"easy\" (leicht ersetzbar) an",
        ),
        "dora.substitutability_reason" => crate::text!(
            en: "give \"no_alternatives\", \"difficult_migration\" or \"both\"",
            de: "geben Sie \"no_alternatives\" (keine echten Alternativen), \"difficult_migration\" (Wechsel oder Rückübernahme schwierig) oder \"both\" (beides) an",
        ),
        "dora.exit_plan" => crate::text!(
            en: "say whether an exit plan for this service exists: true or false",
            de: "geben Sie an, ob es für diese Leistung einen Ausstiegsplan gibt: true oder false",
        ),
        "dora.reintegration" => crate::text!(
            en: "give \"easy\", \"difficult\" or \"highly_complex\"",
            de: "geben Sie \"easy\" (leicht), \"difficult\" (schwierig) oder \"highly_complex\" (sehr schwer) an",
        ),
        "dora.discontinuing_impact" => crate::text!(
            en: "give \"low\", \"medium\", \"high\" or \"not_assessed\"",
            de: "geben Sie \"low\" (gering), \"medium\" (mittel), \"high\" (hoch) oder \"not_assessed\" (nicht bewertet) an",
        ),
        "dora.alternatives_identified" => crate::text!(
            en: "say whether alternative providers have been identified: true or false",
            de: "geben Sie an, ob alternative Dienstleister ermittelt wurden: true oder false",
        ),
        // `subcontractors[i].lei`
        _ => crate::text!(
            en: "give the subcontractor's Legal Entity Identifier (20 characters, ISO 17442): the supply chain of a critical or important function names each subcontractor by it",
            de: "geben Sie die Rechtsträgerkennung (LEI, 20 Zeichen, ISO 17442) des Unterauftragnehmers an: die Lieferkette einer kritischen oder wichtigen Funktion bezeichnet jeden Unterauftragnehmer mit ihr",
        ),
    }
}

fn lei(lei: &Lei) -> String {
    lei.0.clone()
}

fn country(country: &Country) -> String {
    format!("eba_GA:{country}")
}

fn yes_no(yes: bool) -> String {
    if yes { "eba_BT:x28" } else { "eba_BT:x29" }.to_owned()
}

/// LIST0201020 (B_02.01 c0020).
fn arrangement_code(t: ArrangementType) -> &'static str {
    match t {
        ArrangementType::Standalone => "eba_CO:x1",
        ArrangementType::Overarching => "eba_CO:x2",
        ArrangementType::Subsequent => "eba_CO:x3",
    }
}

/// Annex III of Implementing Regulation (EU) 2024/2956, as the EBA codes it.
pub fn ict_service_code(t: IctServiceType) -> &'static str {
    use IctServiceType::*;
    match t {
        S01 => "eba_TA:S01",
        S02 => "eba_TA:S02",
        S03 => "eba_TA:S03",
        S04 => "eba_TA:S04",
        S05 => "eba_TA:S05",
        S06 => "eba_TA:S06",
        S07 => "eba_TA:S07",
        S08 => "eba_TA:S08",
        S09 => "eba_TA:S09",
        S10 => "eba_TA:S10",
        S11 => "eba_TA:S11",
        S12 => "eba_TA:S12",
        S13 => "eba_TA:S13",
        S14 => "eba_TA:S14",
        S15 => "eba_TA:S15",
        S16 => "eba_TA:S16",
        S17 => "eba_TA:S17",
        S18 => "eba_TA:S18",
        S19 => "eba_TA:S19",
    }
}

/// LIST0202170 (B_02.02 c0170).
fn sensitiveness_code(s: Sensitiveness) -> &'static str {
    match s {
        Sensitiveness::Low => "eba_ZZ:x791",
        Sensitiveness::Medium => "eba_ZZ:x792",
        Sensitiveness::High => "eba_ZZ:x793",
    }
}

/// LIST0202180 (B_02.02 c0180).
fn reliance_code(r: Reliance) -> &'static str {
    match r {
        Reliance::NotSignificant => "eba_ZZ:x794",
        Reliance::Low => "eba_ZZ:x795",
        Reliance::Material => "eba_ZZ:x796",
        Reliance::Full => "eba_ZZ:x797",
    }
}

/// LIST0701050 (B_07.01 c0050).
fn substitutability_code(s: Substitutability) -> &'static str {
    match s {
        Substitutability::NotSubstitutable => "eba_ZZ:x959",
        Substitutability::HighlyComplex => "eba_ZZ:x960",
        Substitutability::MediumComplexity => "eba_ZZ:x961",
        Substitutability::Easy => "eba_ZZ:x962",
    }
}

/// LIST0701060 (B_07.01 c0060).
fn substitutability_reason_code(r: SubstitutabilityReason) -> &'static str {
    match r {
        SubstitutabilityReason::NoAlternatives => "eba_ZZ:x963",
        SubstitutabilityReason::DifficultMigration => "eba_ZZ:x964",
        SubstitutabilityReason::Both => "eba_ZZ:x965",
    }
}

/// LIST0701090 (B_07.01 c0090).
fn reintegration_code(r: Reintegration) -> &'static str {
    match r {
        Reintegration::Easy => "eba_ZZ:x798",
        Reintegration::Difficult => "eba_ZZ:x966",
        Reintegration::HighlyComplex => "eba_ZZ:x967",
    }
}

/// LIST0601100 (B_07.01 c0100).
fn impact_code(i: Impact) -> &'static str {
    match i {
        Impact::Low => "eba_ZZ:x791",
        Impact::Medium => "eba_ZZ:x792",
        Impact::High => "eba_ZZ:x793",
        Impact::NotAssessed => "eba_ZZ:x799",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_periods_count_calendar_days_rounded_up() {
        assert_eq!(notice_days(1), 31);
        assert_eq!(notice_days(3), 92);
        assert_eq!(notice_days(6), 183);
        assert_eq!(notice_days(12), 365);
        assert_eq!(notice_days(18), 548);
    }

    #[test]
    fn columns_are_numbered_in_steps_of_ten() {
        assert_eq!(column_code(0), "c0010");
        assert_eq!(column_code(17), "c0180");
    }
}
