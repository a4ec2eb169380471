"""QTI 3.0 content package: `qti-assessment-item` / `qti-assessment-test`, resource types
`imsqti_item_xmlv3p0` and `imsqti_test_xmlv3p0`, IMS CP 1.2 QTI 3.0 profile manifest.

Checked in tests against the official schemas: `qti30/imsqti_asiv3p0_sbacv1p0_v1p0.xsd` (items,
test; the SBAC profile shares the base namespace) and `qti30/imsqtiv3p0_imscpv1p2_v1p0.xsd`
(manifest)."""

from __future__ import annotations

from cmas_bank.export.qti import Dialect

QTI30 = Dialect(
    name="qti30",
    qti_ns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
    qti_schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd",
    cp_ns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
    cp_schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd",
    metadata_ns="http://www.imsglobal.org/xsd/imsqti_metadata_v3p0",
    metadata_schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_metadatav3p0_v1p0.xsd",
    lom_schema="https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd",
    item_type="imsqti_item_xmlv3p0",
    test_type="imsqti_test_xmlv3p0",
    package_schema="QTI Package",
    package_schema_version="3.0.0",
    match_correct="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml",
    kebab=True,
    feedback_body=True,
)
