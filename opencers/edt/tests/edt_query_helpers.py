"""Helpers of the EDT query and migration tests: the state's schemas and samples, validation, comparison.

The schemas and samples are not part of the project: they are read from ``../shared/cers-edt-schemas``
and ``../shared/cers-edt-samples`` (``EDT_SCHEMA_DIR`` / ``EDT_SAMPLES_DIR`` override), and a test that
needs them is skipped, saying so, when they are absent.

Three of the state's schemas (RegulatorFacilityQuery 1/05, RegulatorOrganizationQuery 1/05,
RegulatorFacilityTransferQuery 1/06) cap every date at 2024-12-31, so no document written today can be
valid against them as published; ``validate(..., lift_date_cap=True)`` raises that cap to 2099-12-31 (the
cap of the current RegulatorFacilitySubmittalQuery schema) and changes nothing else. RegulatorFacilityQuery
1/05 also limits organization codes to 8 digits where the other schemas (and our codes) have 9:
``widen_organization_code=True`` allows 9.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_DIR = Path(os.environ.get("EDT_SCHEMA_DIR", ROOT.parent / "shared" / "cers-edt-schemas"))
SAMPLES_DIR = Path(os.environ.get("EDT_SAMPLES_DIR", ROOT.parent / "shared" / "cers-edt-samples"))
SAMPLE = "Untitled1.xml"


def schema_path(name: str) -> Path:
    path = SCHEMA_DIR / f"{name}.xsd"
    if not path.is_file():
        pytest.skip(
            f"The state's schema {name}.xsd is not in {SCHEMA_DIR} (set EDT_SCHEMA_DIR to its folder)."
        )
    return path


def sample_path(name: str = SAMPLE) -> Path:
    path = SAMPLES_DIR / name
    if not path.is_file():
        pytest.skip(f"The state's sample {name} is not in {SAMPLES_DIR} (set EDT_SAMPLES_DIR to its folder).")
    return path


@cache
def _schema(name: str, lift_date_cap: bool, widen_organization_code: bool) -> etree.XMLSchema:
    text = schema_path(name).read_text(encoding="utf-8")
    if lift_date_cap:
        text = text.replace('"2024-12-31T23:59:59Z"', '"2099-12-31T23:59:59Z"').replace(
            '"2024-12-31"', '"2099-12-31"'
        )
    if widen_organization_code:
        text = re.sub(
            r'(<xs:simpleType name="OrganizationCodeType">.*?<xs:maxInclusive value=")99999999(")',
            r"\g<1>999999999\g<2>",
            text,
            count=1,
            flags=re.DOTALL,
        )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def validate(
    document: bytes, schema: str, *, lift_date_cap: bool = False, widen_organization_code: bool = False
) -> etree._Element:
    """Parse ``document`` and assert that it is valid against the state's ``schema``; return its root."""
    root = etree.fromstring(document)
    xml_schema = _schema(schema, lift_date_cap, widen_organization_code)
    if not xml_schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in list(xml_schema.error_log)[:10])
        raise AssertionError(f"not valid against {schema}.xsd:\n{errors}")
    return root


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


# --- Comparing the values of two RegulatorFacilitySubmittalQuery documents ------------------------------


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except (InvalidOperation, ValueError):
        pass
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return False


def leaves(node: etree._Element, prefix: str = "") -> dict[str, str]:
    """Every filled leaf under ``node`` by its path; repeated siblings are numbered (``Chemical[3]``)."""
    values: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for child in node:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        seen[tag] += 1
        path = f"{prefix}/{tag}[{seen[tag]}]"
        if len(child):
            values.update(leaves(child, path))
        elif (child.text or "").strip():
            values[path] = child.text.strip()
    return values


def facility_submittals(root: etree._Element) -> dict[str, etree._Element]:
    return {node.findtext("CERSID"): node for node in root.findall("FacilitySubmittal")}


def differences(source: etree._Element, exported: etree._Element, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every filled value of ``source`` that ``exported`` lacks or holds differently (leaves under the
    element names in ``skip`` are left out)."""
    found = leaves(exported)
    problems = []
    for path, value in leaves(source).items():
        if any(f"/{name}[" in path for name in skip):
            continue
        if path not in found:
            problems.append(f"{path}: missing (expected {value!r})")
        elif not _same(value, found[path]):
            problems.append(f"{path}: {found[path]!r} instead of {value!r}")
    return problems
