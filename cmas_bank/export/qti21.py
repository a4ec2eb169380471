"""QTI 2.1 content package: `assessmentItem` / `assessmentTest`, resource types
`imsqti_item_xmlv2p1` and `imsqti_test_xmlv2p1`, IMS CP 1.2 QTI 2.1 profile manifest.

Checked in tests against the official schemas: `qti21/imsqti_v2p1.xsd` (items, test) and
`imscp/qtiv2p1_imscpv1p2_v1p0.xsd` (manifest)."""

from __future__ import annotations

from cmas_bank.export.qti import Dialect

QTI21 = Dialect(
    name="qti21",
    qti_ns="http://www.imsglobal.org/xsd/imsqti_v2p1",
    qti_schema="http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
    cp_ns="http://www.imsglobal.org/xsd/imscp_v1p1",
    cp_schema="http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd",
    metadata_ns="http://www.imsglobal.org/xsd/imsqti_metadata_v2p1",
    metadata_schema="http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_metadata_v2p1.xsd",
    lom_schema="http://www.imsglobal.org/xsd/imsmd_loose_v1p3p2.xsd",
    item_type="imsqti_item_xmlv2p1",
    test_type="imsqti_test_xmlv2p1",
    package_schema="QTIv2.1 Package",
    package_schema_version="1.0.0",
    match_correct="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
    kebab=False,
    feedback_body=False,
)
