"""Signing plus verification time of a typical signed report (issue 6: target under 2 s).

Run: PYTHONPATH=$PWD python benchmarks/signing_benchmark.py

Measures, on the hiring example's audit with a multi-page weasyprint PDF:
- our `sign_report_files` plus writing (PAdES signature + attestation)
  against pyHanko's `sign_pdf` alone;
- our `verify_report` (every check, with --trust and --inputs) against poppler's `pdfsig`;
- the `governance verify` command end to end (process start and imports included).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from governance.engine.run import run_audit
from governance.render.json_report import render_json
from governance.render.markdown_summary import render_markdown
from governance.report_folder.publishing import publish_reports
from governance.signing.certificates import SignerIdentity, certificate_pem, self_signed_certificate
from governance.signing.keys import KeyAlgorithm, generate_private_key, private_key_pem
from governance.signing.material import SigningMaterial
from governance.signing.report_signing import sign_report_files
from governance.signing.verification.report_verification import verify_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hiring"
REPEATS = 5


def best(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def typical_pdf(result_json: str) -> tuple[bytes, int]:
    """A report-sized PDF (about ten pages of tables and JSON) and its page count."""
    rows = "".join(f"<tr><td>{i}</td><td>rule {i}</td><td>passed</td></tr>" for i in range(300))
    html = f"<h1>Audit</h1><table>{rows}</table><pre>{result_json[:8000]}</pre>"
    document = weasyprint.HTML(string=html).render()
    return bytes(document.write_pdf()), len(document.pages)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="signing-bench-"))
    shutil.copytree(EXAMPLE, work / "example")
    manifest = work / "example" / "audit.yaml"
    result = run_audit(manifest)
    for algorithm in KeyAlgorithm:
        key = generate_private_key(algorithm)
        certificate = self_signed_certificate(key, SignerIdentity("Bench"), days=30)
        material = SigningMaterial(key, certificate)
        (work / "key.pem").write_bytes(private_key_pem(key, None))
        (work / "cert.pem").write_bytes(certificate_pem(certificate))
        pdf, pages = typical_pdf(render_json(result))
        files: dict[str, str | bytes] = {
            "audit.json": render_json(result),
            "summary.md": render_markdown(result),
            "report.pdf": pdf,
        }
        report = work / f"report-{algorithm}"

        def ours(
            report: Path = report,
            files: dict[str, str | bytes] = files,
            material: SigningMaterial = material,
        ) -> None:
            publish_reports(report, sign_report_files(files, result, material))

        def pyhanko_alone(pdf: bytes = pdf) -> None:
            signer = signers.SimpleSigner.load(str(work / "key.pem"), str(work / "cert.pem"))
            meta = signers.PdfSignatureMetadata(
                field_name="S", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
            )
            signers.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer, output=io.BytesIO()
            )

        sign_ours, sign_reference = best(ours), best(pyhanko_alone)
        verify_ours = best(
            lambda report=report: verify_report(report, trust=work / "cert.pem", inputs=manifest)
        )
        verify_pdfsig = best(
            lambda report=report: subprocess.run(
                ["pdfsig", str(report / "report.pdf")], capture_output=True, check=False
            )
        )
        audit = [
            sys.executable,
            "-m",
            "governance",
            "audit",
            str(manifest),
            "-q",
            "--out",
            str(work / "cli"),
        ]
        signed = [
            *audit,
            "--sign",
            "--key",
            str(work / "key.pem"),
            "--cert",
            str(work / "cert.pem"),
        ]
        audit_plain = best(lambda audit=audit: subprocess.run(audit, capture_output=True))
        audit_signed = best(lambda signed=signed: subprocess.run(signed, capture_output=True))
        command = [
            sys.executable,
            "-m",
            "governance",
            "verify",
            str(report),
            "--trust",
            str(work / "cert.pem"),
            "--inputs",
            str(manifest),
        ]
        cli = best(lambda command=command: subprocess.run(command, capture_output=True, check=True))
        print(f"{algorithm}: PDF {len(pdf) // 1024} KiB, {pages} pages")
        print(
            f"  sign   ours {sign_ours:.3f} s | pyHanko sign_pdf alone {sign_reference:.3f} s"
            f" | ratio {sign_ours / sign_reference:.2f}"
        )
        print(
            f"  verify ours {verify_ours:.3f} s | pdfsig {verify_pdfsig:.3f} s"
            f" | ratio {verify_ours / verify_pdfsig:.2f}"
        )
        print(f"  sign + verify in process {sign_ours + verify_ours:.3f} s")
        print(
            f"  commands: audit {audit_plain:.3f} s, audit --sign {audit_signed:.3f} s"
            f" (+{audit_signed - audit_plain:.3f} s), verify --trust --inputs {cli:.3f} s;"
            f" signing + verification add {audit_signed - audit_plain + cli:.3f} s"
        )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
