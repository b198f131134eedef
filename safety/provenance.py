"""Content Credentials (C2PA) for every clip: who made it, with what model, under which consents.

A clip is signed after its marks are applied. The manifest says the clip was made by a trained
model (IPTC `trainedAlgorithmicMedia`), names the backend, model and the prompt's SHA-256 (never the
prompt itself), and carries a `studio.cameo.consent` assertion with the clip id, the creator's handle
and the id and SHA-256 of each consent record the grant held: enough to show which consents a clip
relied on, nothing biometric. Editing any of it, or the media it is bound to, makes the manifest read
Invalid. Every manifest also declares the clip's marks as C2PA soft bindings (`c2pa.soft-binding`,
one per carrier, the clip id as value): a re-share drops the manifest, the marks (safety.invisible_mark,
safety.audio_mark) survive, and the studio, which keeps every manifest it signed, presents it again.

Signing makes no network call: no timestamp authority (tsa_url None), no OCSP fetch, and reading
never fetches a remote manifest (an uploaded file could point one at any address). Without a
timestamp the signature is only as good as the signing certificate's validity, hence the long
validity of the demo chain below.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from identity.challenge import STUDIO_NAME
from safety.errors import SafetyError

CONSENT_LABEL = "studio.cameo.consent"
# The creator's inputs besides the prompt: the style, and each image reference ("ingredient") by its
# SHA-256 and kind. Never the image itself.
INPUTS_LABEL = "studio.cameo.inputs"
ACTIONS_LABEL = "c2pa.actions.v2"
SOFT_BINDING_LABEL = "c2pa.soft-binding"
# The studio's own soft-binding algorithms (entity-specific names: neither is on the C2PA soft
# binding algorithm list). Each block's value is the clip id the mark carries, which is the key the
# studio's manifest repository (identity.clips.ClipManifestRow) is looked up by.
VIDEO_MARK_ALG = "org.cameo-studio.video-mark.tiled-luma.4"
AUDIO_MARK_ALG = "org.cameo-studio.audio-mark.band-level.1"
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
MIME_TYPES = {".mp4": "video/mp4"}

# Demo chain validity. With no timestamp authority a signature turns invalid when the signing
# certificate expires, so the leaf lives 10 years (clips stay verifiable that long) and the CAs
# outlive it: the intermediate 15 years, the root 20.
LEAF_DAYS, INTERMEDIATE_DAYS, ROOT_DAYS = 3653, 5479, 7305
DEMO_ORG = "Cameo Studio (local demo, trusted by this install only)"
ROOT_FILE, CHAIN_FILE, KEY_FILE = "root.pem", "chain.pem", "signing-key.pem"

# Reading and signing stay offline whatever the library's defaults become.
_OFFLINE = {"verify": {"ocsp_fetch": False, "remote_manifest_fetch": False}}
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SigningIdentity:
    """What signs the studio's clips: the chain (leaf first, then intermediates, never the root),
    its private key and the root that makes the studio's own clips read Trusted."""

    cert_chain_pem: bytes
    key_pem: bytes = field(repr=False)
    alg: str  # "es256", "es384", "es512", "ps256" or "ed25519", from the key
    trust_anchor_pem: str | None


@dataclass(frozen=True)
class ProvenanceInfo:
    clip_id: str
    title: str
    creator_handle: str
    backend: str
    model: str
    prompt_sha256: str
    consent_records: tuple[tuple[str, str], ...]  # (consent record id, its SHA-256 hex)
    studio_version: str
    style: str = ""
    ingredients: tuple[tuple[str, str], ...] = ()  # (SHA-256 of the uploaded image, kind)

    def __post_init__(self) -> None:
        # Accept identity.consent.ConsentRecord objects or (id, sha256) pairs; keep plain pairs.
        pairs = tuple((r.id, r.sha256) if hasattr(r, "sha256") else tuple(r) for r in self.consent_records)
        object.__setattr__(self, "consent_records", pairs)
        if not _SHA256_HEX.match(self.prompt_sha256 or ""):
            raise SafetyError("bad_provenance", "prompt_sha256 must be 64 lowercase hex digits")
        for pair in pairs:
            if len(pair) != 2 or not pair[0] or not _SHA256_HEX.match(pair[1] or ""):
                raise SafetyError("bad_provenance", f"a consent record is an id and a SHA-256 hex digest, got {pair!r}")
        for digest, kind in self.ingredients:
            if not _SHA256_HEX.match(digest or "") or not kind:
                raise SafetyError("bad_provenance", f"an image reference is a SHA-256 hex digest and a kind, got {(digest, kind)!r}")


@dataclass(frozen=True)
class ProvenanceAction:
    action: str
    digital_source_type: str | None
    software_agent: str | None
    parameters: dict


@dataclass(frozen=True)
class ProvenanceReading:
    """state: "Trusted" (valid and chains to a given trust anchor), "Valid" (intact, signer not
    trusted), "Invalid" (media or manifest changed after signing, or a bad signature), "absent"."""

    present: bool
    state: str
    signer: str | None  # the signing certificate's organization (or common name)
    consent_records: tuple[tuple[str, str], ...]
    actions: tuple[ProvenanceAction, ...]
    clip_id: str | None
    creator_handle: str | None = None
    title: str | None = None
    failures: tuple[str, ...] = ()  # C2PA status codes, e.g. "assertion.bmffHash.mismatch"
    style: str | None = None
    image_references: tuple[tuple[str, str], ...] = ()  # (SHA-256, kind) of each ingredient
    soft_bindings: tuple[tuple[str, str], ...] = ()  # (algorithm, value) of each c2pa.soft-binding


@dataclass(frozen=True)
class SignedManifest:
    """What signing produced, kept by the studio so the clip's credentials outlive a re-share:
    the manifest store exactly as embedded (JUMBF bytes) and as the reader reported it at signing."""

    clip_id: str
    manifest_store: bytes = field(repr=False)
    report_json: str = field(repr=False)


ABSENT = ProvenanceReading(False, "absent", None, (), (), None)


# ---- certificates ----------------------------------------------------------------------------------

def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORG),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name, issuer_key, days: int,
                 *, ca: bool, path_length: int | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(_key_usage(sign=not ca, ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if not ca:
        # emailProtection is on C2PA's default list of EKUs a claim signer may carry.
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _write_demo_chain(folder: Path) -> None:
    """Root -> intermediate -> ES256 leaf. The CA keys are used here once and never written, so a
    copied data folder yields the signing key (replaceable) but not the power to mint certificates."""
    root_key, inter_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = _name("Cameo Studio Demo Root CA")
    root = _certificate("Cameo Studio Demo Root CA", root_key, root_name, root_key, ROOT_DAYS, ca=True, path_length=1)
    inter = _certificate("Cameo Studio Demo Intermediate CA", inter_key, root.subject, root_key, INTERMEDIATE_DAYS,
                         ca=True, path_length=0)
    leaf = _certificate("Cameo Studio Content Credentials", leaf_key, inter.subject, inter_key, LEAF_DAYS, ca=False)
    (folder / ROOT_FILE).write_bytes(_pem(root))
    (folder / CHAIN_FILE).write_bytes(_pem(leaf) + _pem(inter))
    key = leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    fd = os.open(folder / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)


def ensure_demo_certs(folder: Path) -> SigningIdentity:
    """The install's own demo chain in `folder` (e.g. <data dir>/c2pa), created on first start.

    Files: root.pem (the trust anchor to verify this install's clips), chain.pem (leaf +
    intermediate), signing-key.pem (0600). Created in a private temporary folder and renamed into
    place, so two processes starting at once end up with one chain. A half-present chain is an
    error, not regenerated: a new root would turn every clip signed before from Trusted to Valid.
    """
    folder = Path(folder)
    names = (ROOT_FILE, CHAIN_FILE, KEY_FILE)
    present = [n for n in names if (folder / n).exists()]
    if 0 < len(present) < len(names):
        raise SafetyError("incomplete_certificates", f"{folder} holds {', '.join(present)} but not all of "
                                                     f"{', '.join(names)}; restore the missing files or move "
                                                     f"the folder away to create a new demo chain")
    if not present:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))  # mode 0700
        try:
            _write_demo_chain(tmp)
            os.rename(tmp, folder)  # replaces an empty folder; fails if another process won the race
        except OSError as e:
            if not all((folder / n).exists() for n in names):
                raise SafetyError("certificates_unwritable", f"cannot create the demo certificates in {folder}: "
                                                             f"{e}") from e
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return load_signing_identity(folder / CHAIN_FILE, folder / KEY_FILE, folder / ROOT_FILE)


def _alg_for(key) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algs = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name in algs:
            return algs[key.curve.name]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    raise SafetyError("bad_certificate", f"C2PA cannot sign with a {type(key).__name__} key; use EC P-256")


def _public_der(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_signing_identity(cert_chain_pem: Path, key_pem: Path, trust_anchor_pem: Path | None = None) -> SigningIdentity:
    """A deployment's own chain and key (or the demo one), checked before any clip depends on them.

    A self-signed root at the end of the chain file is taken out of the chain (a C2PA chain must not
    carry its anchor) and used as the trust anchor when none is given.
    """
    try:
        certs = x509.load_pem_x509_certificates(Path(cert_chain_pem).read_bytes())
        key_bytes = Path(key_pem).read_bytes()
        key = serialization.load_pem_private_key(key_bytes, password=None)
        anchor = Path(trust_anchor_pem).read_text() if trust_anchor_pem else None
    except (OSError, ValueError, TypeError) as e:
        raise SafetyError("bad_certificate", f"cannot load the signing certificate chain or key: {e}") from e
    if len(certs) > 1 and certs[-1].subject == certs[-1].issuer:
        root = certs.pop()
        anchor = anchor or _pem(root).decode()
    leaf = certs[0]
    if _public_der(key.public_key()) != _public_der(leaf.public_key()):
        raise SafetyError("bad_certificate", f"{Path(key_pem).name} is not the key of the first certificate "
                                             f"in {Path(cert_chain_pem).name}")
    now = dt.datetime.now(dt.timezone.utc)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        valid = f"{leaf.not_valid_before_utc:%Y-%m-%d} to {leaf.not_valid_after_utc:%Y-%m-%d}"
        raise SafetyError("certificate_expired", f"the signing certificate is valid from {valid} only")
    return SigningIdentity(b"".join(_pem(c) for c in certs), key_bytes, _alg_for(key), anchor)


# ---- signing ---------------------------------------------------------------------------------------

def manifest_definition(info: ProvenanceInfo) -> dict:
    return {
        "claim_generator_info": [{"name": STUDIO_NAME, "version": info.studio_version}],
        "title": info.title,
        "assertions": [
            {"label": ACTIONS_LABEL, "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                "softwareAgent": {"name": info.model},
                "description": f"Generated by {STUDIO_NAME} with the cameos of consenting, enrolled people",
                "parameters": {"backend": info.backend, "model": info.model, "prompt_sha256": info.prompt_sha256},
            }]}},
            {"label": CONSENT_LABEL, "data": {
                "clip_id": info.clip_id,
                "creator": "@" + info.creator_handle.lstrip("@"),
                "consent_records": [{"id": rid, "sha256": digest} for rid, digest in info.consent_records],
            }},
        ] + ([{"label": INPUTS_LABEL, "data": {
            "style": info.style,
            "image_references": [{"sha256": digest, "kind": kind} for digest, kind in info.ingredients],
        }}] if info.style or info.ingredients else []) + [
            _soft_binding(VIDEO_MARK_ALG, info.clip_id, "invisible video mark: tiled luminance pattern"),
            _soft_binding(AUDIO_MARK_ALG, info.clip_id, "audio mark: spread spectrum in short-time band levels"),
        ],
    }


def _soft_binding(alg: str, clip_id: str, name: str) -> dict:
    """A C2PA soft binding (spec 2.x, soft-binding-map): the mark names the clip over the whole asset."""
    return {"label": SOFT_BINDING_LABEL, "data": {"alg": alg, "name": name,
                                                  "blocks": [{"scope": {}, "value": clip_id}]}}


def _mime_type(path: Path) -> str:
    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        raise SafetyError("unsupported_format", f"Content Credentials are written to {', '.join(MIME_TYPES)} "
                                                f"files here, not {path.suffix or 'files without extension'}")
    return mime


def sign_clip(src: Path, dst: Path, identity: SigningIdentity, info: ProvenanceInfo) -> SignedManifest:
    """Write dst: src with a signed manifest embedded. dst appears only once complete.

    Returns the manifest for the studio's repository, read back from dst as a reader sees it.
    """
    src, dst = Path(src), Path(dst)
    mime = _mime_type(src)
    if src.resolve() == dst.resolve():
        raise SafetyError("bad_argument", "sign_clip writes a new file: dst must differ from src")
    tmp = dst.with_name(f".{dst.name}.signing")
    try:
        with c2pa.Context.from_dict(_OFFLINE) as context, \
                c2pa.Signer.from_info(c2pa.C2paSignerInfo(identity.alg, identity.cert_chain_pem,
                                                          identity.key_pem, None)) as signer, \
                c2pa.Builder(manifest_definition(info), context=context) as builder, \
                open(src, "rb") as source, open(tmp, "w+b") as dest:
            store = builder.sign(signer, mime, source, dest)
        with _reader_context(identity.trust_anchor_pem) as context, c2pa.Reader(tmp, context=context) as reader:
            report = reader.json()
        os.replace(tmp, dst)
    except c2pa.C2paError as e:
        raise SafetyError("signing_failed", f"could not sign {src.name}: {e}") from e
    finally:
        tmp.unlink(missing_ok=True)
    return SignedManifest(info.clip_id, bytes(store or b""), report)


# ---- reading ---------------------------------------------------------------------------------------

def _reader_context(trust_anchors_pem: str | None) -> c2pa.Context:
    settings: dict[str, Any] = {**_OFFLINE, "verify": {**_OFFLINE["verify"], "verify_trust": True}}
    if trust_anchors_pem:
        # user_anchors adds to the library's own trust list; trust_anchors would replace it.
        settings["trust"] = {"user_anchors": trust_anchors_pem}
    return c2pa.Context.from_dict(settings)


def _assertion(manifest: dict, label: str) -> dict:
    for a in manifest.get("assertions", []):
        if a.get("label") == label:
            return a.get("data") or {}
    return {}


def _actions(manifest: dict) -> tuple[ProvenanceAction, ...]:
    data = _assertion(manifest, ACTIONS_LABEL) or _assertion(manifest, "c2pa.actions")
    out = []
    for a in data.get("actions", []):
        agent = a.get("softwareAgent")
        out.append(ProvenanceAction(a.get("action", ""), a.get("digitalSourceType"),
                                    agent.get("name") if isinstance(agent, dict) else agent,
                                    dict(a.get("parameters") or {})))
    return tuple(out)


def _reading(state: str, manifest: dict, failures: Sequence[str]) -> ProvenanceReading:
    consent = _assertion(manifest, CONSENT_LABEL)
    sig = manifest.get("signature_info") or {}
    records = tuple((str(r.get("id")), str(r.get("sha256"))) for r in consent.get("consent_records", []))
    inputs = _assertion(manifest, INPUTS_LABEL)
    images = tuple((str(r.get("sha256")), str(r.get("kind"))) for r in inputs.get("image_references", []))
    bindings = tuple((str(a["data"].get("alg")), str(block.get("value")))
                     for a in manifest.get("assertions", []) if a.get("label") == SOFT_BINDING_LABEL
                     for block in (a.get("data") or {}).get("blocks", []))
    return ProvenanceReading(True, state, sig.get("issuer") or sig.get("common_name"), records,
                             _actions(manifest), consent.get("clip_id"), consent.get("creator"),
                             manifest.get("title"), tuple(failures), inputs.get("style"), images, bindings)


def reading_from_report(report_json: str) -> ProvenanceReading:
    """A stored manifest (SignedManifest.report_json) as a reading: its state is the one at signing."""
    report = json.loads(report_json)
    manifest = (report.get("manifests") or {}).get(report.get("active_manifest") or "", {})
    failures = [f.get("code", "") for f in ((report.get("validation_results") or {}).get("activeManifest") or {})
                .get("failure", [])]
    return _reading(report.get("validation_state") or "Valid", manifest, failures)


def read_clip(path: Path, trust_anchors_pem: str | None = None) -> ProvenanceReading:
    """Validate a file's Content Credentials.

    trust_anchors_pem: root certificates (PEM) whose signers count as trusted; the studio passes its
    own root, so its clips read Trusted, and anyone without it sees Valid (intact, unknown signer).
    A manifest too damaged to parse reads Invalid; a file that is not a video raises.
    """
    path = Path(path)
    try:
        with _reader_context(trust_anchors_pem) as context:
            reader = c2pa.Reader.try_create(path, context=context)
            if reader is None:
                return ABSENT
            with reader:
                manifest = reader.get_active_manifest() or {}
                state = reader.get_validation_state() or "Invalid"
                results = reader.get_validation_results() or {}
    except c2pa.C2paError.ManifestNotFound:
        return ABSENT
    except (c2pa.C2paError.Other, c2pa.C2paError.Io, c2pa.C2paError.NotSupported) as e:
        raise SafetyError("bad_video", f"cannot read {path.name} as a video: {e}") from e
    except c2pa.C2paError as e:
        return ProvenanceReading(True, "Invalid", None, (), (), None, failures=(str(e),))
    failures = [f.get("code", "") for f in (results.get("activeManifest") or {}).get("failure", [])]
    return _reading(state, manifest, failures)
