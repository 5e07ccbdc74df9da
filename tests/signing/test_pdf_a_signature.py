"""The signed report.pdf is still PDF/A-3u and still tagged: PDF 1.7, one producer and one
modification date in the Info dictionary and the XMP metadata, the PDF/A identification kept;
and both poppler and pyHanko still validate the signature. (veraPDF, a Java program, is not
installable offline; these are the properties it checks that signing could break.)"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.generic import parse_pdf_date
from pyhanko.pdf_utils.metadata.model import (
    PDF_PRODUCER,
    XMP_CREATEDATE,
    XMP_CREATORTOOL,
    XMP_MODDATE,
    ExpandedName,
)
from pyhanko.pdf_utils.metadata.xmp_xml import MetadataStream
from pyhanko.pdf_utils.reader import PdfFileReader

from governance.render.pdf_report import render_pdf
from governance.signing.keys import KeyAlgorithm
from governance.signing.pdf_signature import sign_pdf
from tests.reports.canonical_audit import canonical_result_with_chart
from tests.signing.report_factory import make_key_files

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
needs_poppler = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler not installed")
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_pdf(canonical_result_with_chart())


@pytest.fixture(scope="module", params=list(KeyAlgorithm))
def signed(
    request: pytest.FixtureRequest, unsigned: bytes, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    keys = make_key_files(
        tmp_path_factory.mktemp("keys"), "Example Auditor", algorithm=request.param
    )
    path = tmp_path_factory.mktemp("signed") / "report.pdf"
    path.write_bytes(sign_pdf(unsigned, keys.material))
    return path


def _xmp(reader: PdfFileReader) -> dict[ExpandedName, str]:
    stream = reader.root["/Metadata"]
    assert isinstance(stream, MetadataStream)
    return {name: value.value for s in stream.xmp for name, value in s}  # type: ignore[misc]


def _xmp_date(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_signed_pdf_keeps_the_pdf_1_7_of_pdf_a_3(signed: Path) -> None:
    data = signed.read_bytes()
    assert data.startswith(b"%PDF-1.7")
    reader = PdfFileReader(io.BytesIO(data))
    assert str(reader.root.get("/Version", "/1.7")) == "/1.7"
    extensions = reader.root["/Extensions"]
    assert list(extensions) == ["/ESIC"]  # PAdES on PDF 1.7; nothing that needs PDF 2.0


def test_info_and_xmp_metadata_agree_after_signing(signed: Path) -> None:
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    info = reader.trailer["/Info"]
    xmp = _xmp(reader)
    assert str(info["/Producer"]) == xmp[PDF_PRODUCER]
    assert "WeasyPrint" in xmp[PDF_PRODUCER] and "pyHanko" in xmp[PDF_PRODUCER]
    assert str(info["/Creator"]) == xmp[XMP_CREATORTOOL]
    assert parse_pdf_date(str(info["/CreationDate"])) == _xmp_date(xmp[XMP_CREATEDATE])
    modified = parse_pdf_date(str(info["/ModDate"]))
    assert modified == _xmp_date(xmp[XMP_MODDATE])
    assert abs(modified - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)  # the signing


def test_the_pdf_a_3u_identification_survives_signing(signed: Path) -> None:
    xmp = _xmp(PdfFileReader(io.BytesIO(signed.read_bytes())))
    assert xmp[ExpandedName(ns=PDFAID, local_name="part")] == "3"
    assert xmp[ExpandedName(ns=PDFAID, local_name="conformance")] == "U"


def test_the_signed_pdf_is_tagged(signed: Path) -> None:
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    assert bool(reader.root["/MarkInfo"]["/Marked"]) is True
    tree = reader.root["/StructTreeRoot"]
    assert tree["/Type"] == "/StructTreeRoot" and len(tree["/K"]) > 0
    assert str(reader.root["/Lang"]) == "en"


@needs_poppler
def test_pdfinfo_and_pdfsig_read_a_tagged_valid_signed_pdf_1_7(signed: Path) -> None:
    info = subprocess.run(
        ["pdfinfo", str(signed)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.M)
    check = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in check and "Total document signed" in check
